// TENT on the one training loop: the entropy loss against a hand computation, what trains and
// what stays bit-identical, and the entropy falling.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/engine/tf.js';
import { isBatchNorm } from '../../src/bn/batch-norm-layer.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import type { ResNetSpec } from '../../src/models/architectures/spec.js';
import { leafLayers } from '../../src/models/layer-walk.js';
import { PIXELS_0_1 } from '../../src/models/manifest.js';
import { predictionEntropy } from '../../src/train/loss.js';
import { tent } from '../../src/train/tent.js';
import { optimizerFor } from '../../src/train/optimizers.js';
import type { Batch } from '../../src/data/batches.js';
import { createRng } from '../../src/util/rng.js';
import { loadWorkflow } from '../../src/workflows/runner.js';

await tf.setBackend('cpu');

test('the entropy loss matches a hand computation on a tiny logit matrix, and on probabilities', () => {
  const logits = [[1, 2, 3], [0, 0, 0], [5, -5, 0]];
  const byHand = logits.map((row) => {
    const z = row.reduce((s, v) => s + Math.exp(v), 0);
    return -row.reduce((s, v) => s + (Math.exp(v) / z) * Math.log(Math.exp(v) / z), 0);
  });
  const expected = byHand.reduce((a, b) => a + b, 0) / 3;
  assert.ok(Math.abs(byHand[1]! - Math.log(3)) < 1e-12, 'uniform row: log 3');
  const fromLogits = predictionEntropy(tf.tensor2d(logits), 'logits').dataSync()[0]!;
  assert.ok(Math.abs(fromLogits - expected) < 1e-5, `${fromLogits} vs ${expected}`);
  const probs = tf.softmax(tf.tensor2d(logits));
  const fromProbs = predictionEntropy(probs, 'probabilities').dataSync()[0]!;
  assert.ok(Math.abs(fromProbs - expected) < 1e-4, `${fromProbs} vs ${expected}`);
});

const spec: ResNetSpec = {
  family: 'resnet', inputShape: [8, 8, 3], stem: { channels: 4, kernel: 3, stride: 1, maxPool: false },
  stages: [{ channels: 4, blocks: 1, stride: 1 }, { channels: 6, blocks: 1, stride: 2 }], numClasses: 3,
};
const manifest = { inputShape: spec.inputShape, preprocessing: PIXELS_0_1, classes: ['a', 'b', 'c'], output: 'logits' as const };

/** 16 unlabelled images from a shifted domain: a brightness offset and a contrast change. */
const rng = createRng(9);
const pixels = Float32Array.from({ length: 16 * 192 }, () => 150 + 60 * rng.next());
const unlabelled = (from: number, to: number): Batch => ({ n: to - from, x: pixels.slice(from * 192, to * 192), y: new Int32Array(to - from).fill(-1) });
const source = async function* (): AsyncGenerator<Batch> {
  yield unlabelled(0, 8);
  yield unlabelled(8, 16);
};

function model(): tf.LayersModel {
  const m = buildArchitecture(spec);
  // Distinct starting points for every weight, so "unchanged" cannot hold by coincidence.
  m.setWeights(m.getWeights().map((w, i) => tf.add(w, tf.randomNormal(w.shape, 0, 0.3, 'float32', i + 1))));
  return m;
}

function weights(m: tf.LayersModel): Map<string, Float32Array> {
  return new Map(m.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
}

/** TENT's own objective: mean entropy over all 16 images, with batch statistics, nothing moving. */
function batchStatsEntropy(m: tf.LayersModel): number {
  const bn = leafLayers(m).filter(isBatchNorm);
  for (const l of bn) l.batchStatistics = true;
  const h = tf.tidy(() => predictionEntropy(m.apply(tf.mul(tf.tensor4d(pixels, [16, 8, 8, 3]), 1 / 255), { training: false }) as tf.Tensor, 'logits').dataSync()[0]!);
  for (const l of bn) l.batchStatistics = false;
  return h;
}

test('TENT trains only gamma and beta: every other weight is bit-identical; the moving statistics become the data\'s', async () => {
  const m = model();
  const before = weights(m);
  const summary = await tent({ model: m, manifest, optimizer: optimizerFor('adam', 0.01), source, imagesPerEpoch: 16, batchSize: 8, emit: () => {} });
  assert.equal(summary.steps, 2, 'one pass of 16 images in batches of 8');
  assert.ok(Number.isNaN(summary.trainAccuracy), 'no labels, no accuracy');
  const after = weights(m);
  const changed = [...before.keys()].filter((k) => before.get(k)!.some((v, i) => v !== after.get(k)![i]));
  const affine = [...before.keys()].filter((k) => /gamma|beta/.test(k));
  const moving = [...before.keys()].filter((k) => /moving_(mean|variance)/.test(k));
  assert.equal(affine.length, 12, '6 BN layers, gamma and beta each');
  assert.deepEqual(changed.filter((k) => !moving.includes(k)).sort(), [...affine].sort(), 'exactly gamma and beta trained');
  // The stem BN's input (the stem convolution of the raw images) does not depend on any BN
  // parameter, so its population statistics over the 16 images are known independently.
  const stemConv = leafLayers(m).find((l) => l.name === 'stem_conv')!;
  const conv = Array.from(tf.tidy(() => stemConv.apply(tf.mul(tf.tensor4d(pixels, [16, 8, 8, 3]), 1 / 255)) as tf.Tensor).dataSync());
  const count = conv.length / 4;
  const mean = [0, 1, 2, 3].map((c) => conv.filter((_, i) => i % 4 === c).reduce((s, v) => s + v, 0) / count);
  const variance = [0, 1, 2, 3].map((c) => conv.filter((_, i) => i % 4 === c).reduce((s, v) => s + (v - mean[c]!) ** 2, 0) / (count - 1));
  const stemBn = leafLayers(m).filter(isBatchNorm)[0]!;
  const close = (a: ArrayLike<number>, b: number[]) => b.every((v, i) => Math.abs(a[i]! - v) <= 1e-4 * Math.max(1, Math.abs(v)));
  assert.ok(close(stemBn.movingMean.read().dataSync(), mean), `moving mean ${stemBn.movingMean.read().dataSync()} vs ${mean}`);
  assert.ok(close(stemBn.movingVariance.read().dataSync(), variance), `moving variance ${stemBn.movingVariance.read().dataSync()} vs ${variance}`);
  assert.ok(leafLayers(m).filter(isBatchNorm).every((l) => l.movesAverages && l.observer === null), 'hooks handed back');
});

test('the entropy on the images goes down after a few TENT steps', async () => {
  const m = model();
  const before = batchStatsEntropy(m);
  const losses: number[] = [];
  await tent({
    model: m, manifest, optimizer: optimizerFor('adam', 0.05), source, imagesPerEpoch: 16, batchSize: 8, steps: 8,
    emit: (e) => { if (e.type === 'OptimizerStepped') losses.push(e.loss); },
  });
  const after = batchStatsEntropy(m);
  assert.equal(losses.length, 8);
  assert.ok(after < 0.8 * before, `entropy ${before} → ${after}`);
  assert.ok(losses[7]! < losses[1]!, `step losses fall: ${losses}`);
});

test('a workflow adapt step takes TENT\'s defaults and names a wrong method at its field', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'calibra-adapt-'));
  await writeFile(join(dir, 'ok.yaml'), 'name: t\nsteps:\n  - adapt: { model: m, images: i, out: o }\n');
  const { steps } = await loadWorkflow(join(dir, 'ok.yaml'));
  assert.deepEqual(steps[0], { kind: 'adapt', name: undefined, options: { method: 'tent', model: 'm', images: 'i', out: 'o', batch: 64, lr: 1e-3, optimizer: 'adam', seed: 0, overwrite: false, trustWeights: false } });
  await writeFile(join(dir, 'bad.yaml'), 'name: t\nsteps:\n  - adapt: { method: shot, model: m, images: i, out: o }\n');
  await assert.rejects(loadWorkflow(join(dir, 'bad.yaml')), /steps\.0\.adapt\.method: Invalid enum value/);
});
