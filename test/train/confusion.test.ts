import test from 'node:test';
import assert from 'node:assert/strict';
import { compactConfusion } from '../../src/train/confusion.js';

test('the reported confusion keeps the classes that occur as true or predicted, in model order', () => {
  const classes = ['a', 'b', 'c', 'd', 'e'];
  // True a and c only; the model also answered e once.
  const full = [
    [3, 0, 1, 0, 1],
    [0, 0, 0, 0, 0],
    [2, 0, 4, 0, 0],
    [0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0],
  ];
  assert.deepEqual(compactConfusion(classes, full), { classes: ['a', 'c', 'e'], matrix: [[3, 1, 1], [2, 4, 0], [0, 0, 0]] });
  assert.deepEqual(compactConfusion(['x', 'y'], [[0, 0], [0, 0]]), { classes: [], matrix: [] });
});
