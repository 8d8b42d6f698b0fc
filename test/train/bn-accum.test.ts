// --bn-accum: with `merged`, one step of K micro-batches moves the BN averages exactly as one
// step on all K·b images would; with `micro` it does not.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { batchNorm, isBatchNorm, type CalibraBatchNorm } from '../../src/bn/batch-norm-layer.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import type { ResNetSpec } from '../../src/models/architectures/spec.js';
import { modelGroups } from '../../src/models/manifest-builder.js';
import { leafLayers } from '../../src/models/layer-walk.js';
import { PIXELS_0_1 } from '../../src/models/manifest.js';
import { applyStrategy } from '../../src/train/strategy.js';
import { trainStep, type BnAccum } from '../../src/train/trainer.js';
import { Momentum } from '../../src/train/optimizers.js';
import type { Batch } from '../../src/data/batches.js';
import { createRng } from '../../src/util/rng.js';

await tf.setBackend('cpu');

const manifest = { inputShape: [8, 8, 3] as [number, number, number], preprocessing: PIXELS_0_1, classes: ['a', 'b', 'c'], output: 'logits' as const };
const rng = createRng(5);
const big: Batch = { n: 8, x: Float32Array.from({ length: 8 * 192 }, () => 255 * rng.next()), y: Int32Array.from({ length: 8 }, () => rng.int(3)) };
const slice = (from: number, to: number): Batch => ({ n: to - from, x: big.x.slice(from * 192, to * 192), y: big.y.slice(from, to) });
const fourPairs = [slice(0, 2), slice(2, 4), slice(4, 6), slice(6, 8)];

/** conv → BN → relu → dense: the BN layer's input does not depend on how the batch is split. */
function oneBnModel(): tf.LayersModel {
  const model = tf.sequential({ layers: [
    tf.layers.conv2d({ name: 'stem_conv', inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }),
    batchNorm({ name: 'stem_bn', momentum: 0.5 }),
    tf.layers.reLU({ name: 'stem_relu' }),
    tf.layers.flatten({ name: 'head_flatten' }),
    tf.layers.dense({ name: 'head_logits', units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
  ] });
  const bn = bnLayers(model)[0]!;
  bn.setMovingStatistics([0.1, -0.2, 0.3, 0], [0.5, 2, 1, 0.25]);
  return model;
}

const bnLayers = (model: tf.LayersModel): CalibraBatchNorm[] => leafLayers(model).filter(isBatchNorm);
const moving = (l: CalibraBatchNorm) => ({ mean: Array.from(l.movingMean.read().dataSync()), variance: Array.from(l.movingVariance.read().dataSync()) });

async function stepOn(model: tf.LayersModel, micro: Batch[], bnAccum: BnAccum): Promise<void> {
  const { variables } = applyStrategy(model, modelGroups(model), { freeze: { kind: 'none' }, bnStats: 'update', bnAffine: 'train' });
  const optimizer = new Momentum(0.1, { momentum: 0 });
  await trainStep({ model, manifest, variables, optimizer, bnAccum }, micro);
  optimizer.dispose();
}

function maxDiff(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
}

test('merged: 4 micro-batches of 2 move the averages as one batch of 8, to float tolerance; micro does not', async () => {
  const reference = oneBnModel();
  // Two-pass statistics of the BN layer's input over all 8 images, then one momentum step, by hand.
  const conv = Array.from(tf.tidy(() => reference.layers[0]!.apply(tf.mul(tf.tensor4d(big.x, [8, 8, 8, 3]), 1 / 255)) as tf.Tensor).dataSync());
  const count = conv.length / 4;
  const mean = [0, 1, 2, 3].map((c) => conv.filter((_, i) => i % 4 === c).reduce((s, v) => s + v, 0) / count);
  const variance = [0, 1, 2, 3].map((c) => conv.filter((_, i) => i % 4 === c).reduce((s, v) => s + (v - mean[c]!) ** 2, 0) / (count - 1));
  const start = moving(bnLayers(reference)[0]!);
  const byHand = { mean: mean.map((m, c) => 0.5 * start.mean[c]! + 0.5 * m), variance: variance.map((v, c) => 0.5 * start.variance[c]! + 0.5 * v) };

  await stepOn(reference, [big], 'micro');
  const oneBatch = moving(bnLayers(reference)[0]!);
  assert.ok(maxDiff(oneBatch.mean, byHand.mean) < 1e-5 && maxDiff(oneBatch.variance, byHand.variance) < 1e-5, 'the layer\'s own update agrees with the hand computation');

  const merged = oneBnModel();
  await stepOn(merged, fourPairs, 'merged');
  const m = moving(bnLayers(merged)[0]!);
  assert.ok(maxDiff(m.mean, byHand.mean) < 1e-5, `merged mean ${m.mean} vs ${byHand.mean}`);
  assert.ok(maxDiff(m.variance, byHand.variance) < 1e-5, `merged variance ${m.variance} vs ${byHand.variance}`);

  const micro = oneBnModel();
  await stepOn(micro, fourPairs, 'micro');
  const u = moving(bnLayers(micro)[0]!);
  assert.ok(maxDiff(u.mean, byHand.mean) > 1e-2 || maxDiff(u.variance, byHand.variance) > 1e-2, `micro should differ: ${u.mean} ${u.variance}`);
});

test('merged on a ResNet: the first BN layer matches one batch of 8, and the layers get their hooks back', async () => {
  const spec: ResNetSpec = {
    family: 'resnet', inputShape: [8, 8, 3], stem: { channels: 4, kernel: 3, stride: 1, maxPool: false },
    stages: [{ channels: 4, blocks: 1, stride: 1 }], numClasses: 3,
  };
  const initial = buildArchitecture(spec).getWeights();
  const build = () => {
    const model = buildArchitecture(spec);
    model.setWeights(initial);
    return model;
  };
  const one = build();
  const before = moving(bnLayers(one)[0]!);
  await stepOn(one, [big], 'micro');
  const merged = build();
  const observer = () => {};
  bnLayers(merged)[1]!.observer = observer;
  await stepOn(merged, [slice(0, 3), slice(3, 8)], 'merged');
  const [a, b] = [moving(bnLayers(one)[0]!), moving(bnLayers(merged)[0]!)];
  assert.ok(maxDiff(a.mean, b.mean) < 1e-5 && maxDiff(a.variance, b.variance) < 1e-5, `stem_bn: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  assert.ok(maxDiff(a.mean, before.mean) > 1e-3, 'the averages moved');
  assert.deepEqual(bnLayers(merged).map((l) => l.movesAverages), bnLayers(merged).map(() => true));
  assert.deepEqual(bnLayers(merged).map((l) => l.observer), bnLayers(merged).map((_, i) => (i === 1 ? observer : null)));
});
