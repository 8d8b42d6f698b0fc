import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import { randomValues, setUpBackends } from './wasm-vs-cpu.js';

await setUpBackends();

/** dL/dx of L = Σ w·mean(x, axes), written out: each x gets w at its reduced position over the count. */
function handGradient(shape: number[], axes: number[], w: Float32Array): Float32Array {
  const count = axes.reduce((n, a) => n * shape[a]!, 1);
  const keptShape = shape.map((s, a) => (axes.includes(a) ? 1 : s));
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const index = shape.map(() => 0);
  for (let flat = 0; flat < out.length; flat++) {
    let kept = 0;
    for (let a = 0; a < shape.length; a++) kept = kept * keptShape[a]! + (axes.includes(a) ? 0 : index[a]!);
    // float32 division, correctly rounded: what a float32 RealDiv computes.
    out[flat] = Math.fround(w[kept]! / count);
    for (let a = shape.length - 1; a >= 0 && ++index[a]! === shape[a]; a--) index[a] = 0;
  }
  return out;
}

// A global average pool (all but batch and channels), per-channel means, inner and outer axes,
// a count that does not divide exactly, keepDims, and a single value per group.
const cases: { shape: number[]; axis: number[]; keepDims: boolean }[] = [
  { shape: [3, 5, 7, 6], axis: [1, 2], keepDims: false },
  { shape: [3, 5, 7, 6], axis: [0, 1, 2], keepDims: true },
  { shape: [4, 9], axis: [1], keepDims: false },
  { shape: [2, 3, 4], axis: [0, 2], keepDims: false },
  { shape: [2, 1, 3], axis: [1], keepDims: true },
];

for (const backend of ['wasm', 'cpu']) {
  for (const { shape, axis, keepDims } of cases) {
    test(`${backend}: Mean's gradient over [${shape}] axes ${JSON.stringify(axis)} is each upstream value over the count, exactly`, async () => {
      await tf.setBackend(backend);
      const rng = createRng(4101);
      const x = tf.tensor(randomValues(rng, shape), shape);
      const outShape = tf.tidy(() => tf.mean(x, axis, keepDims).shape);
      const w = randomValues(rng, outShape);
      const before = tf.memory().numTensors;
      const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mean(t, axis, keepDims), tf.tensor(w, outShape))))(x);
      assert.equal(tf.memory().numTensors, before + 1, 'only the gradient is left');
      assert.deepEqual(dx.shape, shape);
      assert.deepEqual(Array.from(dx.dataSync()), Array.from(handGradient(shape, axis, w)));
      tf.dispose([x, dx]);
    });
  }
}

test('wasm: the gradient writes the full-size tensor once (a Tile), with no tensor of ones multiplied in', async () => {
  await tf.setBackend('wasm');
  const x = tf.randomNormal([4, 6, 6, 8]);
  const info = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.mean(t, [1, 2]))(x));
  // Identity (saving x for the backward pass) shares x's memory: see identity.ts.
  const fullSize = info.kernels.filter((k) => k.name !== 'Identity' && k.outputShapes.some((s) => s !== undefined && tf.util.arraysEqual(s, x.shape)));
  assert.deepEqual(fullSize.map((k) => k.name), ['Tile']);
  tf.dispose([x, info.result as tf.Tensor]);
});
