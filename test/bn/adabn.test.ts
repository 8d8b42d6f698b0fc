// AdaBN against the definition, computed the slow direct way: every image in one tensor, one
// full forward pass per BN layer, each layer's statistics taken over all of its input at once.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { adaBn, type InputSource } from '../../src/bn/adabn.js';
import { batchNorm, isBatchNorm, type CalibraBatchNorm } from '../../src/bn/batch-norm-layer.js';
import { leafLayers } from '../../src/models/layer-walk.js';
import { createRng } from '../../src/util/rng.js';

await tf.setBackend('cpu');

/**
 * stem conv → BN → ReLU, then a nested Sequential block (conv → BN → ReLU) whose output is added
 * to its input, a BN after the sum, and a dense head: a residual join and a container inside.
 */
function buildModel(seed: number): tf.LayersModel {
  const init = (s: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.5, seed: seed + s });
  const input = tf.input({ shape: [6, 6, 2] });
  let x = tf.layers.conv2d({ name: 'stem_conv', filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: init(1) }).apply(input) as tf.SymbolicTensor;
  x = batchNorm({ name: 'stem_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'stem_relu' }).apply(x) as tf.SymbolicTensor;
  const inner = tf.sequential({ name: 'block1_seq', layers: [
    tf.layers.conv2d({ name: 'block1_conv', filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: init(2), inputShape: [6, 6, 4] }),
    batchNorm({ name: 'block1_bn' }),
    tf.layers.reLU({ name: 'block1_relu' }),
  ] });
  const y = inner.apply(x) as tf.SymbolicTensor;
  let z = tf.layers.add({ name: 'block2_add' }).apply([x, y]) as tf.SymbolicTensor;
  z = batchNorm({ name: 'block2_bn' }).apply(z) as tf.SymbolicTensor;
  z = tf.layers.globalAveragePooling2d({ name: 'head_pool' }).apply(z) as tf.SymbolicTensor;
  const out = tf.layers.dense({ name: 'head_logits', units: 3, kernelInitializer: init(3) }).apply(z) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  // Held statistics far from the data's, so that a layer left alone is told apart.
  const rng = createRng(seed);
  for (const bn of bns(model)) bn.setMovingStatistics([0, 1, 2, 3].map(() => rng.normal()), [0, 1, 2, 3].map(() => rng.uniform(0.5, 1.5)));
  return model;
}

const bns = (model: tf.LayersModel): CalibraBatchNorm[] => leafLayers(model).filter(isBatchNorm);

function images(n: number, seed: number): tf.Tensor4D {
  const rng = createRng(seed);
  return tf.tensor4d(Float32Array.from({ length: n * 6 * 6 * 2 }, (_, i) => (i % 2 === 0 ? 2 : -1) + rng.normal() * (i % 2 === 0 ? 1.5 : 0.7)), [n, 6, 6, 2]);
}

function sourceOf(all: tf.Tensor4D, batch: number): InputSource {
  return async function* () {
    for (let i = 0; i < all.shape[0]; i += batch) yield tf.slice(all, [i, 0, 0, 0], [Math.min(batch, all.shape[0] - i), -1, -1, -1]);
  };
}

type Stats = { mean: number[]; variance: number[] };

function held(model: tf.LayersModel): Stats[] {
  return bns(model).map((l) => ({ mean: Array.from(l.movingMean.read().dataSync()), variance: Array.from(l.movingVariance.read().dataSync()) }));
}

/** One full pass per BN layer over all images at once; unbiased variance as AdaBN stores it. */
function directExact(model: tf.LayersModel, all: tf.Tensor4D): Stats[] {
  return bns(model).map((layer) => {
    let seen: Stats | null = null;
    layer.observer = (_, m) => {
      seen = { mean: Array.from(m.mean), variance: Array.from(m.variance, (v) => (v * m.count) / (m.count - 1)) };
    };
    tf.dispose(model.apply(all, { training: false }) as tf.Tensor);
    layer.observer = null;
    layer.setMovingStatistics(seen!.mean, seen!.variance);
    return seen!;
  });
}

function assertStatsClose(actual: Stats[], expected: Stats[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, l) => a.mean.forEach((_, c) => {
    const e = expected[l]!;
    const sd = Math.sqrt(e.variance[c]!);
    assert.ok(Math.abs(a.mean[c]! - e.mean[c]!) <= tol * Math.max(Math.abs(e.mean[c]!), sd), `${what}: layer ${l} channel ${c} mean ${a.mean[c]} vs ${e.mean[c]}`);
    assert.ok(Math.abs(a.variance[c]! - e.variance[c]!) <= tol * e.variance[c]!, `${what}: layer ${l} channel ${c} variance ${a.variance[c]} vs ${e.variance[c]}`);
  }));
}

function maxRelativeDifference(a: Stats, b: Stats): number {
  return Math.max(...a.variance.map((v, c) => Math.abs(v - b.variance[c]!) / b.variance[c]!), ...a.mean.map((m, c) => Math.abs(m - b.mean[c]!) / Math.sqrt(b.variance[c]!)));
}

const all = images(70, 5);
const reference = directExact(buildModel(1), all);

test('exact mode equals one direct pass per layer over all images, with the activation cache and without', async () => {
  const cost: number[] = [];
  for (const cacheBytes of [undefined, 0]) {
    const model = buildModel(1);
    const r = await adaBn({ model, layers: bns(model), source: sourceOf(all, 16), mode: 'exact', expectedImages: 70, cacheBytes });
    assert.equal(r.images, 70);
    assert.deepEqual(r.layers.map((l) => l.name), ['stem_bn', 'block1_bn', 'block2_bn']);
    assert.equal(r.layers[0]!.count, 70 * 36);
    assertStatsClose(held(model), reference, 1e-5, `cacheBytes ${cacheBytes}`);
    cost.push(r.forwardPasses);
  }
  // The cache runs each layer once per image; streaming runs the stretch before each BN again.
  assert.ok(cost[0]! <= 1 && cost[1]! > cost[0]!, `cost in forward passes: cached ${cost[0]}, streamed ${cost[1]}`);
});

test('exact mode gives the same statistics with batches of 7 and of 64', async () => {
  const stats = [];
  for (const batch of [7, 64]) {
    const model = buildModel(1);
    await adaBn({ model, layers: bns(model), source: sourceOf(all, batch), mode: 'exact', expectedImages: 70 });
    stats.push(held(model));
  }
  assertStatsClose(stats[0]!, stats[1]!, 1e-5, 'batch 7 vs 64');
});

test('fast mode agrees with exact on the first BN layer and differs after it', async () => {
  const fast = buildModel(1);
  const r = await adaBn({ model: fast, layers: bns(fast), source: sourceOf(all, 7), mode: 'fast', expectedImages: 70 });
  assert.equal(r.images, 70);
  const f = held(fast);
  assertStatsClose([f[0]!], [reference[0]!], 1e-5, 'first layer');
  for (const l of [1, 2]) assert.ok(maxRelativeDifference(f[l]!, reference[l]!) > 1e-3, `layer ${l}: fast should see batch-normalised inputs, not exact ones`);
  // Fast mode leaves the layers as it found them.
  assert.ok(bns(fast).every((b) => !b.batchStatistics && b.observer === null));
});

test('recalibrating some layers leaves the others bit for bit', async () => {
  for (const mode of ['exact', 'fast'] as const) {
    const model = buildModel(1);
    const before = held(model);
    const chosen = bns(model).filter((l) => l.name === 'block1_bn');
    const r = await adaBn({ model, layers: chosen, source: sourceOf(all, 16), mode, expectedImages: 70 });
    assert.deepEqual(r.layers.map((l) => l.name), ['block1_bn']);
    const after = held(model);
    assert.deepEqual(after[0], before[0], `${mode}: stem_bn untouched`);
    assert.deepEqual(after[2], before[2], `${mode}: block2_bn untouched`);
    assert.ok(maxRelativeDifference(after[1]!, before[1]!) > 0.1, `${mode}: block1_bn recalibrated`);
  }
});
