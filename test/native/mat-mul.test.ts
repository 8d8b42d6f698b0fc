// BatchMatMul and _FusedMatMul on the native engine, against the cpu backend: transposes,
// batches, broadcast batches, bias and activations, and gradients.
import assert from 'node:assert/strict';
import test from 'node:test';

import { tf } from '../../src/engine/tf.js';
import { fallbackCount } from '../../src/engine/native/native-kernel.js';
import { createRng } from '../../src/util/rng.js';
import { assertClose, nativeAndCpu, randomValues, setUpNative } from './harness.js';

const skip = await setUpNative();

interface Case {
  outerA: number[];
  outerB: number[];
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

function shapes(c: Case): { a: number[]; b: number[] } {
  return {
    a: [...c.outerA, ...(c.transposeA ? [c.k, c.m] : [c.m, c.k])],
    b: [...c.outerB, ...(c.transposeB ? [c.n, c.k] : [c.k, c.n])],
  };
}

const rng = createRng(8807);
const cases: Case[] = [];
for (const [outerA, outerB] of [
  [[], []],
  [[3], [3]],
  [[2, 3], [1]],
  [[1], [4]],
]) {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      cases.push({ outerA: outerA!, outerB: outerB!, m: 1 + rng.int(9), k: 1 + rng.int(17), n: 1 + rng.int(9), transposeA, transposeB });
    }
  }
}
cases.push({ outerA: [], outerB: [], m: 64, k: 1280, n: 10, transposeA: false, transposeB: false });

const label = (c: Case): string => {
  const s = shapes(c);
  return `[${s.a}]${c.transposeA ? 'ᵀ' : ''} · [${s.b}]${c.transposeB ? 'ᵀ' : ''}`;
};

for (const c of cases) {
  const s = shapes(c);
  const a = randomValues(rng, s.a);
  const b = randomValues(rng, s.b);
  // tfjs cannot differentiate a matmul whose batch broadcasts, on any backend.
  const broadcast = c.outerA.join() !== c.outerB.join();
  test(`BatchMatMul${broadcast ? '' : ' and its gradients'}: ${label(c)}`, { skip }, async () => {
    const r = await nativeAndCpu(() => {
      const ta = tf.tensor(a, s.a);
      const tb = tf.tensor(b, s.b);
      const y = tf.matMul(ta, tb, c.transposeA, c.transposeB);
      if (broadcast) return [y];
      const upstream = tf.tensor(randomValues(createRng(2), y.shape), y.shape);
      const f = (x: tf.Tensor, w: tf.Tensor): tf.Tensor => tf.sum(tf.mul(tf.matMul(x, w, c.transposeA, c.transposeB), upstream));
      return [y, ...tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([ta, tb])];
    }, ['BatchMatMul']);
    assertClose(r, 1e-4, ['y', 'da', 'db']);
  });
}

const activations = ['linear', 'relu', 'relu6', 'leakyrelu', 'elu', 'sigmoid'] as const;
activations.forEach((activation, i) => {
  const c = cases.filter((k) => k.outerA.join() === k.outerB.join())[i]!;
  const s = shapes(c);
  const a = randomValues(rng, s.a);
  const b = randomValues(rng, s.b);
  const bias = randomValues(rng, [c.n]);
  test(`_FusedMatMul, ${activation} + bias, and its gradients: ${label(c)}`, { skip }, async () => {
    const r = await nativeAndCpu(() => {
      const f = (x: tf.Tensor, w: tf.Tensor, bs: tf.Tensor): tf.Tensor =>
        tf.fused.matMul({ a: x, b: w, transposeA: c.transposeA, transposeB: c.transposeB, bias: bs, activation, leakyreluAlpha: 0.15 });
      const inputs = [tf.tensor(a, s.a), tf.tensor(b, s.b), tf.tensor1d(bias)];
      const y = f(inputs[0]!, inputs[1]!, inputs[2]!);
      const grads = tf.grads((x: tf.Tensor, w: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.square(f(x, w, bs))))(inputs);
      return [y, ...grads];
    }, ['_FusedMatMul', 'BatchMatMul']);
    assertClose(r, 1e-4, ['y', 'da', 'db', 'dbias']);
  });
});

test('a partly broadcast batch falls back to the stock wasm kernel', { skip }, async () => {
  const a = randomValues(rng, [2, 3, 4, 5]);
  const b = randomValues(rng, [3, 5, 2]);
  const before = fallbackCount('BatchMatMul');
  const r = await nativeAndCpu(() => [tf.matMul(tf.tensor(a, [2, 3, 4, 5]), tf.tensor(b, [3, 5, 2]))]);
  assertClose(r);
  assert.equal(fallbackCount('BatchMatMul'), before + 1);
});
