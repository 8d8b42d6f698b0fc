import test from 'node:test';
import assert from 'node:assert/strict';
import { ConfusionTally } from '../../src/train/metrics.js';
import { cosineLr, scheduleFor } from '../../src/train/schedule.js';

test('ConfusionTally counts overall and per-class accuracy', () => {
  const t = new ConfusionTally(['a', 'b', 'c']);
  t.add([0, 1, 1, 2], [0, 1, 0, 0]);
  assert.equal(t.n, 4);
  assert.equal(t.accuracy, 0.5);
  const pc = t.perClass();
  assert.deepEqual(Object.keys(pc), ['a', 'b']);
  assert.equal(pc.a!.accuracy, 1 / 3);
  assert.equal(pc.a!.n, 3);
  assert.equal(pc.b!.accuracy, 1);
});

test('confusion matrix, precision, recall and F1 by hand', () => {
  const t = new ConfusionTally(['a', 'b', 'c']);
  // actual:    a a a b b c
  // predicted: a b a b c c
  t.add([0, 1, 0, 1, 2, 2], [0, 0, 0, 1, 1, 2]);
  assert.deepEqual(t.confusion(), [[2, 1, 0], [0, 1, 1], [0, 0, 1]]);
  const pc = t.perClass();
  // a: precision 2/2, recall 2/3; b: 1/2 and 1/2; c: 1/2 and 1/1.
  assert.deepEqual([pc.a!.precision, pc.a!.recall], [1, 2 / 3]);
  assert.ok(Math.abs(pc.a!.f1 - 0.8) < 1e-12);
  assert.deepEqual([pc.b!.precision, pc.b!.recall, pc.b!.f1], [0.5, 0.5, 0.5]);
  assert.ok(Math.abs(pc.c!.f1 - 2 / 3) < 1e-12);
  const never = new ConfusionTally(['x', 'y']);
  never.add([0, 0], [0, 1]);
  assert.deepEqual([never.perClass().y!.precision, never.perClass().y!.f1], [0, 0]);
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

test('constant and step schedules: warm-up, then their plateaus at the stated fractions', () => {
  const c = scheduleFor('constant', 0.4, 100, 4);
  assert.deepEqual([c(0), c(1), c(3), c(4), c(99)], [0.1, 0.2, 0.4, 0.4, 0.4]);
  const s = scheduleFor('step', 1, 104, 4);
  // 100 steps after warm-up: lr for steps 4..53, lr/10 for 54..78, lr/100 from 79.
  assert.deepEqual([s(0), s(3), s(4), s(53), s(54), s(78), s(79), s(103)], [0.25, 1, 1, 1, 0.1, 0.1, 0.01, 0.01]);
});

test('one-cycle rises from lr/25 to lr over 30% of the run, then falls to lr/25e4', () => {
  const s = scheduleFor('onecycle', 1, 100);
  assert.ok(Math.abs(s(0) - 0.04) < 1e-12);
  assert.ok(Math.abs(s(15) - (0.04 + 0.96 / 2)) < 1e-12, 'half way up, the cosine is at the midpoint');
  assert.ok(Math.abs(s(30) - 1) < 1e-12);
  assert.ok(s(29) < 1 && s(31) < 1);
  assert.ok(Math.abs(s(65) - (1 + 0.04 / 1e4) / 2) < 1e-12);
  assert.ok(Math.abs(s(100) - 0.04 / 1e4) < 1e-15);
  const custom = scheduleFor('onecycle', 1, 100, 10);
  assert.ok(Math.abs(custom(10) - 1) < 1e-12);
});
