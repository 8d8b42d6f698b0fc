// The elementwise native kernels (Relu, Relu6, ClipByValue, the Relu and ClipByValue gradient
// kernels, Add, Multiply, Sub, RealDiv) against the cpu backend. They compute exactly what the
// cpu backend computes, so values must be equal to the bit (−0 against 0 included), at the
// boundaries (0, 6, the clip bounds), for NaN and infinities, and on both sides of the size at
// which a pass is split between threads.
import assert from 'node:assert/strict';
import test from 'node:test';

import { tf } from '../../src/engine/tf.js';
import { fallbackCount } from '../../src/engine/native/native-kernel.js';
import { createRng, type Rng } from '../../src/util/rng.js';
import { nativeAndCpu, randomValues, setUpNative, type BackendResults } from './harness.js';

const skip = await setUpNative();

/** Above native/elementwise.h's kMinParallelElements, and no multiple of 16. */
const THREADED: number[] = [3, 37, 41, 23];

/** Values at and beside every boundary the kernels test, and non-finite ones. */
const SPECIAL = [0, -0, 6, NaN, Infinity, -Infinity, 5.999999523162842, 6.000000476837158, 1e-45, -1e-45, 0.1, -0.1, -3];

/** Normal values scaled to straddle 0 and 6, with SPECIAL at the front. */
function activations(rng: Rng, shape: number[]): Float32Array {
  const values = randomValues(rng, shape, 4, 2);
  values.set(SPECIAL.slice(0, values.length));
  return values;
}

/** Upstream gradients: non-finite and negative ones at the front, so that 0 · ∞ and −0 show. */
function upstream(rng: Rng, shape: number[]): Float32Array {
  const values = randomValues(rng, shape);
  values.set([NaN, Infinity, -Infinity, -2, Infinity, -1, NaN, 3, -Infinity, -0, 2, -5, 1].slice(0, values.length));
  return values;
}

function randomShape(rng: Rng): number[] {
  return Array.from({ length: 1 + rng.int(4) }, () => 1 + rng.int(9));
}

function assertIdentical(r: BackendResults, names: readonly string[]): void {
  r.native.forEach((values, i) => {
    assert.deepEqual(r.nativeShapes[i], r.cpuShapes[i], `${names[i]}: shapes differ`);
    assert.deepEqual(Array.from(values), Array.from(r.cpu[i]!), `${names[i]} differs from cpu`);
  });
}

const rng = createRng(7711);
const shapes = [[SPECIAL.length], THREADED, ...Array.from({ length: 4 }, () => randomShape(rng))];

const activationCases: { name: string; kernels: string[]; f: (x: tf.Tensor) => tf.Tensor }[] = [
  { name: 'relu', kernels: ['Relu', 'CalibraReluGrad'], f: (x) => tf.relu(x) },
  { name: 'relu6', kernels: ['Relu6', 'CalibraReluGrad'], f: (x) => tf.relu6(x) },
  { name: 'clipByValue(0, 6)', kernels: ['ClipByValue', 'CalibraClipByValueGrad'], f: (x) => tf.clipByValue(x, 0, 6) },
  // Bounds that float32 cannot hold: tfjs's gradient compares x with them rounded to float32,
  // so x = fround(-0.1), below -0.1, passes the gradient.
  { name: 'clipByValue(-0.1, 0.1)', kernels: ['ClipByValue', 'CalibraClipByValueGrad'], f: (x) => tf.clipByValue(x, -0.1, 0.1) },
];

for (const c of activationCases) {
  for (const shape of shapes) {
    const seed = rng.int(1 << 30);
    test(`${c.name} and its gradient equal cpu: [${shape}]`, { skip }, async () => {
      const r = await nativeAndCpu(() => {
        const values = createRng(seed);
        const x = tf.tensor(activations(values, shape), shape);
        const dy = tf.tensor(upstream(values, shape), shape);
        const [y, dx] = [c.f(x), tf.grad(c.f)(x, dy)];
        return [y, dx];
      }, c.kernels);
      assertIdentical(r, ['y', 'dx']);
    });
  }
}

const binaryOps: { name: string; kernel: string; f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor }[] = [
  { name: 'add', kernel: 'Add', f: tf.add },
  { name: 'mul', kernel: 'Multiply', f: tf.mul },
  { name: 'sub', kernel: 'Sub', f: tf.sub },
  { name: 'div', kernel: 'RealDiv', f: tf.div },
];

/**
 * Operand shapes the native kernels take: the same shape, and one operand broadcast along
 * adjacent axes (a per-channel row, a scalar, a per-sample column, a global pool's gradient),
 * either way round.
 */
const binaryShapes: [number[], number[]][] = [
  [THREADED, THREADED],
  [THREADED, [23]],
  [[1, 1, 23], THREADED],
  [THREADED, []],
  [[1], THREADED],
  [THREADED, [3, 1, 1, 23]],
  [[3, 37, 1, 1], THREADED],
  [THREADED, [3, 37, 41, 1]],
  [[4, 5], [1, 4, 5]],
  [[2, 3, 5], [1, 1, 5]],
  [[5], [2, 3, 5]],
  [[7], []],
  [[], []],
  [[2, 1], [1]],
  [[16, 2], [16, 1]],
  [[16, 1], [16, 2]],
  [[4, 1, 1, 6], [4, 3, 3, 6]],
  [[2, 1, 3, 1, 5], [2, 4, 3, 1, 5]],
];
for (let i = 0; i < 3; i++) {
  const shape = randomShape(rng);
  binaryShapes.push([shape, shape], [shape, shape.slice(-1)], [[1], shape]);
}

for (const op of binaryOps) {
  for (const [aShape, bShape] of binaryShapes) {
    const seed = rng.int(1 << 30);
    test(`${op.name} equals cpu: [${aShape}] with [${bShape}]`, { skip }, async () => {
      const r = await nativeAndCpu(() => {
        const values = createRng(seed);
        const a = tf.tensor(activations(values, aShape), aShape);
        const b = tf.tensor(upstream(values, bShape), bShape);
        return [op.f(a, b)];
      }, [op.kernel]);
      assertIdentical(r, ['out']);
    });
  }
}

test('other dtypes and other broadcasts fall back to the stock wasm kernels, with the same values', { skip }, async () => {
  const calls: { kernel: string; f: () => tf.Tensor }[] = [
    { kernel: 'Add', f: () => tf.add(tf.tensor([[1, 2, 3]], [1, 3]), tf.tensor([[1], [2]], [2, 1])) },
    { kernel: 'Multiply', f: () => tf.mul(tf.ones([2, 3, 4, 5]), tf.tensor(randomValues(createRng(2), [2, 1, 4, 1]), [2, 1, 4, 1])) },
    { kernel: 'Sub', f: () => tf.sub(tf.tensor([5, 7], [2], 'int32'), tf.tensor([1, 2], [2], 'int32')) },
    { kernel: 'Relu', f: () => tf.relu(tf.tensor([-3, 0, 4], [3], 'int32')) },
  ];
  for (const { kernel, f } of calls) {
    const before = fallbackCount(kernel);
    const r = await nativeAndCpu(() => [f()]);
    assert.equal(fallbackCount(kernel), before + 1, `${kernel} fell back`);
    assertIdentical(r, [kernel]);
  }
});
