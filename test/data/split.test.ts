import assert from 'node:assert/strict';
import { test } from 'node:test';
import { epochOrder } from '../../src/data/batches.js';
import { type LabelledDataset, classCounts, stratifiedSplit } from '../../src/data/dataset.js';
import { NOTHING_IGNORED } from '../../src/data/ignored-files.js';
import { InputError } from '../../src/errors.js';

// Sizes chosen to hit the edge cases: rounding up, a class of one, an empty class.
const SIZES = { a: 20, b: 10, c: 3, d: 1, e: 0 };
const ds: LabelledDataset = {
  root: '/data',
  classNames: Object.keys(SIZES),
  items: Object.values(SIZES).flatMap((n, label) =>
    Array.from({ length: n }, (_, i) => ({ path: `/data/${label}/${i}.png`, label })),
  ),
  warnings: [],
  unreadable: [],
  ignored: NOTHING_IGNORED,
};
const paths = (d: LabelledDataset): string[] => d.items.map((i) => i.path);

test('each class is split in proportion; tiny classes keep one image for training', () => {
  const { train, val } = stratifiedSplit(ds, { valFraction: 0.25, seed: 1 });
  assert.deepEqual(classCounts(val), [5, 3, 1, 0, 0]);
  assert.deepEqual(classCounts(train), [15, 7, 2, 1, 0]);
  assert.deepEqual(train.classNames, ds.classNames);
});

test('train and val partition the dataset and keep its order', () => {
  const { train, val } = stratifiedSplit(ds, { valFraction: 0.3, seed: 7 });
  const all = paths(ds);
  assert.deepEqual([...paths(train), ...paths(val)].sort(), [...all].sort());
  assert.equal(new Set([...paths(train), ...paths(val)]).size, all.length);
  const rank = new Map(all.map((p, i) => [p, i]));
  for (const part of [train, val]) {
    const ranks = paths(part).map((p) => rank.get(p)!);
    assert.deepEqual(ranks, [...ranks].sort((x, y) => x - y));
  }
});

test('the same seed gives the same split, another seed another', () => {
  const first = paths(stratifiedSplit(ds, { valFraction: 0.25, seed: 42 }).val);
  const again = paths(stratifiedSplit(ds, { valFraction: 0.25, seed: 42 }).val);
  const other = paths(stratifiedSplit(ds, { valFraction: 0.25, seed: 43 }).val);
  assert.deepEqual(again, first);
  assert.notDeepEqual(other, first);
});

test('a zero fraction keeps everything for training; 1 or more is an InputError', () => {
  const { train, val } = stratifiedSplit(ds, { valFraction: 0, seed: 1 });
  assert.equal(val.items.length, 0);
  assert.equal(train.items.length, ds.items.length);
  assert.throws(() => stratifiedSplit(ds, { valFraction: 1, seed: 1 }), InputError);
  assert.throws(() => stratifiedSplit(ds, { valFraction: Number.NaN, seed: 1 }), InputError);
});

test('epoch order is a seeded permutation: same (seed, epoch) same order, next epoch another', () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  const e0 = epochOrder(items, 5, 0);
  assert.deepEqual(epochOrder(items, 5, 0), e0);
  assert.notDeepEqual(epochOrder(items, 5, 1), e0);
  assert.notDeepEqual(epochOrder(items, 6, 0), e0);
  assert.deepEqual([...e0].sort((x, y) => x - y), items);
});
