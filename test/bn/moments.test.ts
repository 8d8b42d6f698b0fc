import test from 'node:test';
import assert from 'node:assert/strict';
import { batchMoments, emptyMoments, mergeMoments, momentsVariance } from '../../src/bn/moments.js';
import { createRng } from '../../src/util/rng.js';

/** Two-pass reference over all values of each channel, in float64. */
function twoPass(values: number[][]): { mean: number[]; unbiased: number[] } {
  const mean = values.map((v) => v.reduce((s, x) => s + x, 0) / v.length);
  const unbiased = values.map((v, c) => v.reduce((s, x) => s + (x - mean[c]!) ** 2, 0) / (v.length - 1));
  return { mean, unbiased };
}

function batchOf(values: number[][]): { mean: number[]; biased: number[]; n: number } {
  const mean = values.map((v) => v.reduce((s, x) => s + x, 0) / v.length);
  const biased = values.map((v, c) => v.reduce((s, x) => s + (x - mean[c]!) ** 2, 0) / v.length);
  return { mean, biased, n: values[0]!.length };
}

test('merging batches of unequal size and far-apart means equals a two-pass computation', () => {
  const rng = createRng(3);
  const channels = 3;
  const sizes = [7, 64, 1, 13, 30];
  const all: number[][] = Array.from({ length: channels }, () => []);
  let merged = emptyMoments(channels);
  sizes.forEach((n, b) => {
    // Batch means differ by far more than their spread, so the between-batch term dominates.
    const values = Array.from({ length: channels }, (_, c) => Array.from({ length: n }, () => 100 * b + c + rng.normal() * (c + 1)));
    values.forEach((v, c) => all[c]!.push(...v));
    const s = batchOf(values);
    merged = mergeMoments(merged, batchMoments(s.mean, s.biased, s.n));
  });
  const ref = twoPass(all);
  assert.equal(merged.count, 115);
  const variance = momentsVariance(merged);
  for (let c = 0; c < channels; c++) {
    assert.ok(Math.abs(merged.mean[c]! - ref.mean[c]!) < 1e-9 * Math.abs(ref.mean[c]!), `mean ${c}`);
    assert.ok(Math.abs(variance[c]! - ref.unbiased[c]!) / ref.unbiased[c]! < 1e-12, `variance ${c}`);
  }
  const biased = momentsVariance(merged, 'biased');
  assert.ok(Math.abs(biased[0]! - (ref.unbiased[0]! * 114) / 115) < 1e-9 * ref.unbiased[0]!);
});

test('the merge is order-independent and an empty side is the identity', () => {
  const a = batchMoments([1, 2], [0.5, 4], 10);
  const b = batchMoments([3, -2], [1, 1], 30);
  const ab = mergeMoments(a, b);
  const ba = mergeMoments(b, a);
  for (let c = 0; c < 2; c++) {
    assert.ok(Math.abs(ab.mean[c]! - ba.mean[c]!) < 1e-12);
    assert.ok(Math.abs(ab.m2[c]! - ba.m2[c]!) < 1e-9);
  }
  // Hand computation, channel 0: mean = (10·1 + 30·3)/40 = 2.5; m2 = 5 + 30 + 2²·(10·30/40) = 65.
  assert.equal(ab.mean[0], 2.5);
  assert.ok(Math.abs(ab.m2[0]! - 65) < 1e-12);
  assert.equal(mergeMoments(emptyMoments(2), a), a);
  assert.throws(() => mergeMoments(a, emptyMoments(3)), /3/);
});
