import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { CalibraBatchNorm } from '../../src/bn/batch-norm-layer.js';
import { batchNormTrain } from '../../src/bn/batch-norm-train-op.js';
import { createRng } from '../../src/util/rng.js';
import { registerWasmTrainingKernels } from '../../src/engine/kernels/register-all.js';
import '@tensorflow/tfjs-backend-wasm';

registerWasmTrainingKernels();
await tf.setBackend('cpu');

function randomTensor(shape: number[], seed: number, scale = 1, shift = 0): tf.Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => shift + scale * rng.normal()), shape);
}

/** Per-channel mean and biased variance, two passes in float64. */
function twoPassStats(data: Float32Array, channels: number): { mean: number[]; variance: number[]; count: number } {
  const count = data.length / channels;
  const mean = Array(channels).fill(0);
  for (let i = 0; i < data.length; i++) mean[i % channels] += data[i]! / count;
  const variance = Array(channels).fill(0);
  for (let i = 0; i < data.length; i++) variance[i % channels] += (data[i]! - mean[i % channels]) ** 2 / count;
  return { mean, variance, count };
}

function built(args: object = {}): CalibraBatchNorm {
  const layer = new CalibraBatchNorm({ momentum: 0.9, epsilon: 1e-3, ...args });
  layer.apply(tf.input({ shape: [4, 5, 3] }));
  layer.gamma?.write(tf.tensor1d([1.5, 0.5, 2]));
  layer.beta?.write(tf.tensor1d([0.1, -0.2, 0.3]));
  layer.movingMean.write(tf.tensor1d([0.5, -1, 2]));
  layer.movingVariance.write(tf.tensor1d([2, 0.5, 1]));
  return layer;
}

for (const backend of ['cpu', 'wasm']) test(`${backend}: update mode normalises with batch statistics and moves the averages (unbiased variance)`, async () => {
  await tf.setBackend(backend);
  const layer = built();
  const x = randomTensor([2, 4, 5, 3], 1, 3, 1);
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  const { mean, variance, count } = twoPassStats(x.dataSync() as Float32Array, 3);
  const gamma = [1.5, 0.5, 2], beta = [0.1, -0.2, 0.3];
  const xs = x.dataSync(), ys = y.dataSync();
  for (let i = 0; i < xs.length; i++) {
    const c = i % 3;
    const expected = ((xs[i]! - mean[c]) / Math.sqrt(variance[c] + 1e-3)) * gamma[c]! + beta[c]!;
    assert.ok(Math.abs(ys[i]! - expected) < 1e-4, `y[${i}] ${ys[i]} vs ${expected}`);
  }
  const mm = layer.movingMean.read().dataSync(), mv = layer.movingVariance.read().dataSync();
  [0.5, -1, 2].forEach((m0, c) => assert.ok(Math.abs(mm[c]! - (0.9 * m0 + 0.1 * mean[c])) < 1e-5));
  [2, 0.5, 1].forEach((v0, c) => assert.ok(Math.abs(mv[c]! - (0.9 * v0 + 0.1 * variance[c] * count / (count - 1))) < 1e-4));
  await tf.setBackend('cpu');
});

test('freeze mode uses the moving statistics in training and never changes them', () => {
  const layer = built();
  layer.applyPolicy({ stats: 'freeze', affine: 'train' });
  const x = randomTensor([2, 4, 5, 3], 2);
  const yTrain = (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
  const yInfer = (layer.apply(x, { training: false }) as tf.Tensor).dataSync();
  assert.deepEqual(Array.from(yTrain), Array.from(yInfer));
  assert.deepEqual(Array.from(layer.movingMean.read().dataSync()), [0.5, -1, 2]);
  assert.deepEqual(Array.from(layer.movingVariance.read().dataSync()), [2, 0.5, 1]);
});

test('affine freeze removes gamma and beta from the trainable weights', () => {
  const layer = built();
  assert.deepEqual(layer.trainableWeights.map((w) => w.originalName.split('/').pop()), ['gamma', 'beta']);
  layer.applyPolicy({ stats: 'update', affine: 'freeze' });
  assert.equal(layer.trainableWeights.length, 0);
});

test('scale:false and center:false train, with batch or frozen statistics (stock tfjs crashes here)', () => {
  for (const stats of ['update', 'freeze'] as const) {
    const layer = new CalibraBatchNorm({ scale: false, center: false });
    layer.apply(tf.input({ shape: [2, 2, 4] }));
    layer.applyPolicy({ stats, affine: 'train' });
    const x = randomTensor([3, 2, 2, 4], 3);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.square(layer.apply(t, { training: true }) as tf.Tensor)))(x);
    assert.equal(dx.shape.join(), '3,2,2,4', stats);
    assert.ok(Array.from(dx.dataSync()).every(Number.isFinite), stats);
  }
});

test('batchNormTrain gradients match central finite differences', () => {
  const x = randomTensor([2, 3, 2, 2], 4, 2, 0.5);
  const gamma = tf.tensor1d([1.3, -0.7]);
  const beta = tf.tensor1d([0.2, 0.1]);
  const r = randomTensor([2, 3, 2, 2], 5);
  const f = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(batchNormTrain(xx, g, b, 1e-3).y, r)) as tf.Scalar;
  const [dx, dg, db] = tf.grads(f)([x, gamma, beta]) as tf.Tensor[];
  const h = 1e-2;
  const check = (which: number, base: tf.Tensor, analytic: tf.Tensor) => {
    const values = base.dataSync() as Float32Array;
    for (let i = 0; i < values.length; i++) {
      const plus = values.slice(); plus[i]! += h;
      const minus = values.slice(); minus[i]! -= h;
      const args = (v: Float32Array) => [x, gamma, beta].map((t, k) => (k === which ? tf.tensor(v, base.shape) : t)) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const numeric = (f(...args(plus)).dataSync()[0]! - f(...args(minus)).dataSync()[0]!) / (2 * h);
      const a = analytic.dataSync()[i]!;
      assert.ok(Math.abs(a - numeric) < 2e-2 * Math.max(1, Math.abs(numeric)), `input ${which} [${i}]: analytic ${a} vs numeric ${numeric}`);
    }
  };
  check(0, x, dx!);
  check(1, gamma, dg!);
  check(2, beta, db!);
});

test('a model with BN round-trips through tfjs serialisation as CalibraBatchNorm', async () => {
  const input = tf.input({ shape: [4, 4, 2] });
  const out = new CalibraBatchNorm({ name: 'bn' }).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  const bn = model.getLayer('bn') as CalibraBatchNorm;
  bn.movingMean.write(tf.tensor1d([3, 4]));
  let artifacts!: tf.io.ModelArtifacts;
  await model.save(tf.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const lbn = loaded.getLayer('bn');
  assert.ok(lbn instanceof CalibraBatchNorm);
  assert.deepEqual(Array.from((lbn as CalibraBatchNorm).movingMean.read().dataSync()), [3, 4]);
});
