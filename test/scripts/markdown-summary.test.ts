import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markdownTable, percent } from '../../scripts/lib/markdown.js';
import { meanPerKey } from '../../scripts/lib/summary.js';

test('markdownTable pads every column to its widest cell, with a separator row', () => {
  const table = markdownTable(['domain', 'acc'], [['inverted', '9.5'], ['x', '100.0']]);
  assert.equal(table, [
    '| domain   | acc   |',
    '|----------|-------|',
    '| inverted | 9.5   |',
    '| x        | 100.0 |',
  ].join('\n'));
});

test('markdownTable refuses a row with the wrong number of cells', () => {
  assert.throws(() => markdownTable(['a', 'b'], [['1']]), /1 cells for 2 columns/);
});

test('percent shows one decimal of a [0,1] accuracy', () => {
  assert.equal(percent(0.88888), '88.9');
  assert.equal(percent(1), '100.0');
  assert.equal(percent(0), '0.0');
});

test('meanPerKey averages each key over the rows', () => {
  const mean = meanPerKey([{ a: 0.1, b: 1 }, { a: 0.4, b: 0 }, { a: 0.7, b: 0.5 }]);
  assert.ok(Math.abs(mean.a! - 0.4) < 1e-12);
  assert.ok(Math.abs(mean.b! - 0.5) < 1e-12);
  assert.deepEqual(Object.keys(mean), ['a', 'b']);
});

test('meanPerKey refuses no rows, and a row missing a key', () => {
  assert.throws(() => meanPerKey([]), /no rows/);
  assert.throws(() => meanPerKey([{ a: 1, b: 2 }, { a: 1 }]), /no value for 'b'/);
});
