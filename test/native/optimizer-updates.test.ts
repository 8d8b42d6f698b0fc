// The optimizers on the native engine: one call updates all of a step's variables in place.
// Checked against a float64 hand computation of PyTorch's rules, against the per-variable JS
// kernel (to the bit), and for the two things in-place writes must not break: tensors that
// share a variable's memory, and the convolution's cache of reordered filters.
import assert from 'node:assert/strict';
import test from 'node:test';

import { tf } from '../../src/engine/tf.js';
import { registerNativeKernels, unregisterNativeKernels } from '../../src/engine/native/register-all.js';
import { optimizerFor, type OptimizerKind, type StepOptimizer } from '../../src/train/optimizers.js';
import { createRng } from '../../src/util/rng.js';
import { randomValues, setUpNative } from './harness.js';

const skip = await setUpNative();

type Rule = 'sgd' | 'nesterov' | 'adam' | 'adamw';
const KIND: Record<Rule, OptimizerKind> = { sgd: 'sgd', nesterov: 'sgd', adam: 'adam', adamw: 'adamw' };
const LR: Record<Rule, number> = { sgd: 0.1, nesterov: 0.1, adam: 0.01, adamw: 0.01 };
const WD = 0.05;

/** PyTorch's update rules in float64, one scalar at a time (momentum 0.9, betas 0.9/0.999, ε 1e-7). */
function handComputation(rule: Rule, lr: number, wd: number, p0: Float32Array, grads: Float32Array[]): number[] {
  const p = Array.from(p0);
  const [a, m, v] = [p.map(() => 0), p.map(() => 0), p.map(() => 0)];
  grads.forEach((g, t) => {
    for (let i = 0; i < p.length; i++) {
      if (rule === 'sgd' || rule === 'nesterov') {
        const gi = g[i]! + wd * p[i]!;
        a[i] = 0.9 * a[i]! + gi;
        p[i] = p[i]! - lr * (rule === 'nesterov' ? gi + 0.9 * a[i]! : a[i]!);
      } else {
        if (rule === 'adamw') p[i] = p[i]! * (1 - lr * wd);
        const gi = g[i]! + (rule === 'adam' ? wd * p[i]! : 0);
        m[i] = 0.9 * m[i]! + 0.1 * gi;
        v[i] = 0.999 * v[i]! + 0.001 * gi * gi;
        p[i] = p[i]! - (lr * (m[i]! / (1 - 0.9 ** (t + 1)))) / (Math.sqrt(v[i]! / (1 - 0.999 ** (t + 1))) + 1e-7);
      }
    }
  });
  return p;
}

// Sizes: odd, above the size at which a pass is split between threads (elementwise.h), and tiny.
const SIZES = [37, 40_003, 5];
const rng = createRng(5150);
const initial = SIZES.map((n) => randomValues(rng, [n]));
const gradients = [0, 1, 2].map(() => SIZES.map((n) => randomValues(rng, [n])));

/**
 * Three steps over three variables: the first has its rate halved, the second never decays.
 * Returns the variables' final values and, per step, whether every variable kept its tfjs
 * tensor memory (an in-place update) and got a new wasm id.
 */
function train(rule: Rule): { values: Float32Array[]; inPlace: boolean[] } {
  // Made in tidy, so that the initial tensor goes and the variable alone holds its memory.
  const vars = initial.map((v, i) => tf.tidy(() => tf.variable(tf.tensor1d(v), true, `opt-${rule}-${i}-${Math.random()}`)));
  const opt: StepOptimizer = optimizerFor(KIND[rule], LR[rule], {
    weightDecay: WD, nesterov: rule === 'nesterov', lrScale: new Map([[vars[0]!.name, 0.5]]), noDecay: new Set([vars[1]!.name]),
  });
  const wasm = tf.backend() as unknown as { dataIdMap: { get(d: object): { id: number; memoryOffset: number } } };
  const where = () => vars.map((v) => ({ ...wasm.dataIdMap.get(v.dataId) }));
  const inPlace: boolean[] = [];
  for (const step of gradients) {
    const before = where();
    const grads = step.map((g) => tf.tensor1d(g));
    opt.applyGradients(Object.fromEntries(vars.map((v, i) => [v.name, grads[i]!])));
    tf.dispose(grads);
    const after = where();
    inPlace.push(before.every((b, i) => b.memoryOffset === after[i]!.memoryOffset && b.id !== after[i]!.id));
  }
  const values = vars.map((v) => v.dataSync() as Float32Array);
  opt.dispose();
  tf.dispose(vars);
  return { values, inPlace };
}

for (const rule of ['sgd', 'nesterov', 'adam', 'adamw'] as const) {
  test(`${rule}: all variables in place in one call, as the hand computation and the per-variable kernel to the bit`, { skip }, () => {
    const native = train(rule);
    assert.deepEqual(native.inPlace, [true, true, true], 'in place, with fresh ids, every step');
    unregisterNativeKernels();
    let perVariable: ReturnType<typeof train>;
    try {
      perVariable = train(rule);
    } finally {
      registerNativeKernels();
    }
    assert.deepEqual(perVariable.inPlace, [false, false, false], 'the per-variable kernel makes new tensors');
    native.values.forEach((got, i) => {
      assert.deepEqual(Array.from(got), Array.from(perVariable.values[i]!), `variable ${i} differs from the per-variable kernel`);
      const lr = i === 0 ? LR[rule] * 0.5 : LR[rule];
      const expected = handComputation(rule, lr, i === 1 ? 0 : WD, initial[i]!, gradients.map((g) => g[i]!));
      expected.forEach((e, j) => assert.ok(Math.abs(got[j]! - e) <= 1e-6 * Math.max(1, Math.abs(e)), `variable ${i}[${j}]: ${got[j]} against ${e}`));
    });
  });
}

test('a variable whose memory another tensor shares is updated out of place; the sharer keeps its values', { skip }, () => {
  const [shared, alone] = ['shared', 'alone'].map((name) => tf.tidy(() => tf.variable(tf.tensor1d([1, 2, 3]), true, `${name}-${Math.random()}`))) as [tf.Variable, tf.Variable];
  const snapshot = tf.clone(shared);
  assert.equal(snapshot.dataId, shared.dataId, 'a clone shares memory (identity.ts)');
  const opt = optimizerFor('sgd', 0.5, { momentum: 0 });
  const grads = [tf.tensor1d([1, 1, 1]), tf.tensor1d([1, 1, 1])];
  const aloneData = alone.dataId;
  opt.applyGradients({ [shared.name]: grads[0]!, [alone.name]: grads[1]! });
  assert.deepEqual(Array.from(snapshot.dataSync()), [1, 2, 3]);
  assert.deepEqual(Array.from(shared.dataSync()), [0.5, 1.5, 2.5]);
  assert.deepEqual(Array.from(alone.dataSync()), [0.5, 1.5, 2.5]);
  assert.notEqual(shared.dataId, snapshot.dataId, 'the shared variable got new memory');
  assert.equal(alone.dataId, aloneData, 'the other was updated in place');
  opt.dispose();
  tf.dispose([shared, alone, snapshot, ...grads]);
});

test('a convolution after an in-place update uses the new filter, not its cached reorder of the old one', { skip }, () => {
  const x = tf.tensor4d(randomValues(rng, [1, 8, 8, 16]), [1, 8, 8, 16]);
  const filter = tf.tidy(() => tf.variable(tf.tensor4d(randomValues(rng, [3, 3, 16, 32]), [3, 3, 16, 32]), true, `filter-${Math.random()}`));
  const opt = optimizerFor('adam', 0.1);
  const grad = tf.tensor4d(randomValues(rng, [3, 3, 16, 32]), [3, 3, 16, 32]);
  const before = tf.conv2d(x, filter, 1, 'same');
  opt.applyGradients({ [filter.name]: grad });
  const after = tf.conv2d(x, filter, 1, 'same');
  const fresh = tf.tensor4d(filter.dataSync(), [3, 3, 16, 32]);
  const expected = tf.conv2d(x, fresh, 1, 'same');
  assert.notDeepEqual(Array.from(after.dataSync()), Array.from(before.dataSync()));
  assert.deepEqual(Array.from(after.dataSync()), Array.from(expected.dataSync()));
  opt.dispose();
  tf.dispose([x, filter, grad, before, after, fresh, expected]);
});

test('steps in place leave no tensor and no heap buffer behind', { skip }, () => {
  const vars = [[50], [3, 4]].map((shape, i) => tf.tidy(() => tf.variable(tf.ones(shape), true, `leak-${i}-${Math.random()}`)));
  for (const kind of ['adam', 'sgd'] as const) {
    const opt = optimizerFor(kind, 0.1);
    const step = () => tf.tidy(() => opt.applyGradients(Object.fromEntries(vars.map((v) => [v.name, tf.onesLike(v)]))));
    step();
    const counts = () => [tf.memory().numTensors, tf.backend().numDataIds()];
    const before = counts();
    step();
    step();
    assert.deepEqual(counts(), before, kind);
    opt.dispose();
  }
  tf.dispose(vars);
});
