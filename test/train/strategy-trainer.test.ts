import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import type { ResNetSpec } from '../../src/models/architectures/spec.js';
import { modelGroups } from '../../src/models/manifest-builder.js';
import { PIXELS_0_1 } from '../../src/models/manifest.js';
import { applyStrategy } from '../../src/train/strategy.js';
import { trainLoop } from '../../src/train/trainer.js';
import { optimizerFor } from '../../src/train/optimizers.js';
import type { Batch } from '../../src/data/batches.js';
import type { RunEvent } from '../../src/events/run-events.js';
import { createRng } from '../../src/util/rng.js';

await tf.setBackend('cpu');

const spec: ResNetSpec = {
  family: 'resnet', inputShape: [8, 8, 3], stem: { channels: 4, kernel: 3, stride: 1, maxPool: false },
  stages: [{ channels: 4, blocks: 1, stride: 1 }, { channels: 8, blocks: 1, stride: 2 }], numClasses: 2,
};
const manifest = { inputShape: spec.inputShape, preprocessing: PIXELS_0_1, classes: ['dark', 'bright'], output: 'logits' as const };

/** Class 1 images are bright, class 0 dark: learnable in a few steps. */
function toyBatches(n: number, batches: number, seed: number): Batch[] {
  const rng = createRng(seed);
  return Array.from({ length: batches }, () => {
    const y = Int32Array.from({ length: n }, () => rng.int(2));
    const x = new Float32Array(n * 8 * 8 * 3);
    for (let i = 0; i < x.length; i++) x[i] = (y[Math.floor(i / 192)] ? 180 : 60) + 40 * rng.normal();
    return { x, y, n };
  });
}

const snapshot = (model: tf.LayersModel, prefix: string) =>
  model.weights.filter((w) => w.originalName.startsWith(prefix)).map((w) => Array.from(w.read().dataSync()));

test('--freeze backbone trains only the head: frozen weights and BN statistics stay put', async () => {
  const model = buildArchitecture(spec);
  const strategy = applyStrategy(model, modelGroups(model), { freeze: { kind: 'backbone' }, bnStats: 'update', bnAffine: 'train' });
  assert.deepEqual(strategy.trainableGroups, ['head']);
  const before = { stem: snapshot(model, 'stem_'), block2: snapshot(model, 'block2_'), head: snapshot(model, 'head_') };
  const data = toyBatches(8, 3, 1);
  await trainLoop({ model, manifest, variables: strategy.variables, optimizer: optimizerFor('sgd', 0.1), source: async function* () { yield* data; }, imagesPerEpoch: 24, batchSize: 8, epochs: 1, emit: () => {} });
  assert.deepEqual(snapshot(model, 'stem_'), before.stem, 'stem weights and BN moving stats unchanged');
  assert.deepEqual(snapshot(model, 'block2_'), before.block2);
  assert.notDeepEqual(snapshot(model, 'head_'), before.head, 'head trained');
});

test('update mode in trainable groups moves BN statistics; freeze mode does not', async () => {
  for (const bnStats of ['update', 'freeze'] as const) {
    const model = buildArchitecture(spec);
    const strategy = applyStrategy(model, modelGroups(model), { freeze: { kind: 'none' }, bnStats, bnAffine: 'freeze' });
    const stats = () => model.weights.filter((w) => /moving_(mean|variance)/.test(w.originalName)).map((w) => Array.from(w.read().dataSync()));
    const gammas = () => model.weights.filter((w) => /gamma|beta/.test(w.originalName)).map((w) => Array.from(w.read().dataSync()));
    const [s0, g0] = [stats(), gammas()];
    const data = toyBatches(8, 2, 2);
    await trainLoop({ model, manifest, variables: strategy.variables, optimizer: optimizerFor('sgd', 0.1), source: async function* () { yield* data; }, imagesPerEpoch: 16, batchSize: 8, epochs: 1, emit: () => {} });
    if (bnStats === 'update') assert.notDeepEqual(stats(), s0);
    else assert.deepEqual(stats(), s0);
    assert.deepEqual(gammas(), g0, '--bn-affine freeze keeps gamma and beta');
  }
});

test('the loop learns a separable toy problem and emits its events in order', async () => {
  const model = buildArchitecture(spec);
  const strategy = applyStrategy(model, modelGroups(model), { freeze: { kind: 'none' }, bnStats: 'update', bnAffine: 'train' });
  const events: RunEvent[] = [];
  const data = toyBatches(16, 6, 3);
  const summary = await trainLoop({
    model, manifest, variables: strategy.variables, optimizer: optimizerFor('adam', 0.01),
    source: async function* () { yield* data; }, imagesPerEpoch: 96, batchSize: 16, epochs: 3, maxSteps: 15, emit: (e) => events.push(e),
  });
  assert.equal(summary.steps, 15, 'maxSteps stops mid-epoch');
  const kinds = events.map((e) => e.type);
  assert.deepEqual(kinds.slice(0, 2), ['EpochStarted', 'OptimizerStepped']);
  assert.equal(kinds.filter((k) => k === 'OptimizerStepped').length, 15);
  assert.equal(kinds.filter((k) => k === 'EpochEnded').length, 3);
  const losses = events.flatMap((e) => (e.type === 'EpochEnded' ? [e.loss] : []));
  assert.ok(losses[2]! < losses[0]!, `loss falls: ${losses}`);
  assert.ok(summary.trainAccuracy > 0.9, `train accuracy ${summary.trainAccuracy}`);
});
