import test from 'node:test';
import assert from 'node:assert/strict';
import { confusionText, errorsText, perClassText } from '../../src/cli/eval-text.js';

test('the confusion matrix reads rows as true classes and columns as predicted ones', () => {
  const lines = confusionText({ classes: ['ants', 'bees'], matrix: [[1200, 3], [7, 40]] })!;
  assert.deepEqual(lines, [
    '  true \\ predicted   ants  bees',
    '  ants              1,200     3',
    '  bees                  7    40',
  ]);
});

test('above 12 classes the terminal gets no matrix', () => {
  const classes = Array.from({ length: 13 }, (_, i) => `c${i}`);
  const matrix = classes.map((_, i) => classes.map((__, j) => Number(i === j)));
  assert.equal(confusionText({ classes, matrix }), null);
  assert.equal(confusionText({ classes: classes.slice(0, 12), matrix: matrix.slice(0, 12).map((r) => r.slice(0, 12)) })!.length, 13);
});

test('misclassified files are listed relative to the scored folder, with their probability', () => {
  const lines = errorsText([{ path: '/data/test/3/017.png', true: '3', predicted: '8', probability: 0.6234 }], '/data/test');
  assert.deepEqual(lines, ['  file       true  predicted  probability', '  3/017.png  3     8                62.3%']);
});

test('per class: n, accuracy (recall), precision and F1', () => {
  const lines = perClassText({ cat: { accuracy: 0.75, n: 4, precision: 0.6, recall: 0.75, f1: 2 / 3 } });
  assert.deepEqual(lines, ['  class  n  accuracy  precision     F1', '  cat    4     75.0%      60.0%  0.667']);
});
