// The BN layer's hooks for AdaBN, drift inspection and merged accumulation, against direct
// two-pass statistics and hand computations.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { CalibraBatchNorm, type BnMoments } from '../../src/bn/batch-norm-layer.js';
import { createRng } from '../../src/util/rng.js';

await tf.setBackend('cpu');

function layerWithStats(): CalibraBatchNorm {
  const layer = new CalibraBatchNorm({ momentum: 0.9, epsilon: 1e-3 });
  layer.apply(tf.input({ shape: [3, 3, 2] }));
  layer.movingMean.write(tf.tensor1d([1, -1]));
  layer.movingVariance.write(tf.tensor1d([4, 0.25]));
  return layer;
}

function input(seed: number): { x: tf.Tensor4D; data: Float32Array } {
  const rng = createRng(seed);
  const data = Float32Array.from({ length: 2 * 3 * 3 * 2 }, (_, i) => (i % 2 === 0 ? 3 : -5) + rng.normal() * (i % 2 === 0 ? 2 : 0.5));
  return { x: tf.tensor4d(data, [2, 3, 3, 2]), data };
}

function twoPass(data: Float32Array): { mean: number[]; variance: number[] } {
  const count = data.length / 2;
  const mean = [0, 0];
  for (let i = 0; i < data.length; i++) mean[i % 2]! += data[i]! / count;
  const variance = [0, 0];
  for (let i = 0; i < data.length; i++) variance[i % 2]! += (data[i]! - mean[i % 2]!) ** 2 / count;
  return { mean, variance };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!)), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

test('in inference the observer gets the input moments and the output uses the moving statistics', () => {
  const layer = layerWithStats();
  const { x, data } = input(1);
  const seen: BnMoments[] = [];
  layer.observer = (_, m) => seen.push(m);
  const y = (layer.apply(x, { training: false }) as tf.Tensor).dataSync();
  const ref = twoPass(data);
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.count, 18);
  close(seen[0]!.mean, ref.mean, 1e-5, 'mean');
  close(seen[0]!.variance, ref.variance, 1e-5, 'variance');
  close([y[0]!, y[1]!], [(data[0]! - 1) / Math.sqrt(4 + 1e-3), (data[1]! + 1) / Math.sqrt(0.25 + 1e-3)], 1e-5, 'y');
});

test('batchStatistics normalises with the batch in inference and leaves the averages alone', () => {
  const layer = layerWithStats();
  layer.batchStatistics = true;
  const { x, data } = input(2);
  const y = (layer.apply(x, { training: false }) as tf.Tensor).dataSync();
  const ref = twoPass(data);
  close([y[0]!], [(data[0]! - ref.mean[0]!) / Math.sqrt(ref.variance[0]! + 1e-3)], 1e-4, 'y');
  close(layer.movingMean.read().dataSync(), [1, -1], 0, 'moving mean');
});

test('movesAverages=false keeps the averages in training; foldIntoAverages moves them once by momentum', () => {
  const layer = layerWithStats();
  layer.movesAverages = false;
  const { x } = input(3);
  layer.apply(x, { training: true });
  close(layer.movingMean.read().dataSync(), [1, -1], 0, 'unmoved mean');
  layer.foldIntoAverages([3, -5], [2, 1]);
  // 0.9·old + 0.1·new
  close(layer.movingMean.read().dataSync(), [0.9 * 1 + 0.1 * 3, 0.9 * -1 + 0.1 * -5], 1e-6, 'folded mean');
  close(layer.movingVariance.read().dataSync(), [0.9 * 4 + 0.1 * 2, 0.9 * 0.25 + 0.1 * 1], 1e-6, 'folded variance');
  layer.setMovingStatistics([7, 8], [9, 10]);
  close(layer.movingMean.read().dataSync(), [7, 8], 0, 'set mean');
  close(layer.movingVariance.read().dataSync(), [9, 10], 0, 'set variance');
});
