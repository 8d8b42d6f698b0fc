import test from 'node:test';
import assert from 'node:assert/strict';
import { ConfusionTally } from '../../src/train/metrics.js';
import { cosineLr } from '../../src/train/schedule.js';

test('ConfusionTally counts overall and per-class accuracy', () => {
  const t = new ConfusionTally(['a', 'b', 'c']);
  t.add([0, 1, 1, 2], [0, 1, 0, 0]);
  assert.equal(t.n, 4);
  assert.equal(t.accuracy, 0.5);
  assert.deepEqual(t.perClass(), { a: { accuracy: 1 / 3, n: 3 }, b: { accuracy: 1, n: 1 } });
});

test('cosineLr warms up linearly, peaks, and decays to the floor', () => {
  const s = cosineLr(1, 110, 10, 0.01);
  assert.equal(s(0), 0.1);
  assert.equal(s(9), 1);
  assert.ok(Math.abs(s(10) - 1) < 1e-12);
  assert.ok(Math.abs(s(60) - (0.01 + 0.99 * 0.5)) < 1e-12);
  assert.ok(Math.abs(s(110) - 0.01) < 1e-12);
  for (let i = 11; i <= 110; i++) assert.ok(s(i) <= s(i - 1), 'monotone after warm-up');
});
