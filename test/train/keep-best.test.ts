// Keeping the best epoch: every weight, BN moving statistics included, comes back exactly, even
// when freezing changed between the snapshot and the restore (it reorders model.weights).
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
import { EpochMonitor } from '../../src/train/epoch-monitor.js';
import { EpochKeeper } from '../../src/train/keep-best.js';
import { WeightSnapshot } from '../../src/train/weight-snapshot.js';
import type { FreezeSpec } from '../../src/models/groups.js';
import { createRng } from '../../src/util/rng.js';

await tf.setBackend('cpu');

const spec: ResNetSpec = {
  family: 'resnet', inputShape: [8, 8, 3], stem: { channels: 4, kernel: 3, stride: 1, maxPool: false },
  stages: [{ channels: 4, blocks: 1, stride: 1 }], numClasses: 2,
};
const manifest = { inputShape: spec.inputShape, preprocessing: PIXELS_0_1, classes: ['a', 'b'], output: 'logits' as const };

/** Values by weight name, so a reordering of model.weights cannot hide a mismatch. */
const values = (model: tf.LayersModel) => new Map(model.weights.map((w) => [w.name, Array.from(w.read().dataSync())]));

async function trainEpoch(model: tf.LayersModel, freeze: FreezeSpec, seed: number): Promise<void> {
  const strategy = applyStrategy(model, modelGroups(model), { freeze, bnStats: 'update', bnAffine: 'train' });
  const rng = createRng(seed);
  const batch = { x: Float32Array.from({ length: 8 * 192 }, () => 255 * rng.next()), y: Int32Array.from({ length: 8 }, () => rng.int(2)), n: 8 };
  const optimizer = optimizerFor('sgd', 0.5);
  await trainLoop({ model, manifest, variables: strategy.variables, optimizer, source: async function* () { yield batch; }, imagesPerEpoch: 8, batchSize: 8, epochs: 1, emit: () => {} });
  optimizer.dispose();
}

test('a snapshot restores every weight and BN statistic exactly after training moved them under another freeze', async () => {
  const model = buildArchitecture(spec);
  await trainEpoch(model, { kind: 'backbone' }, 1);
  const order = model.weights.map((w) => w.name);
  const snapshot = WeightSnapshot.take(model);
  const kept = values(model);
  await trainEpoch(model, { kind: 'none' }, 2);
  assert.notDeepEqual(model.weights.map((w) => w.name), order, 'unfreezing reorders model.weights');
  const moved = values(model);
  assert.ok([...kept.keys()].some((n) => /moving_mean/.test(n) && String(kept.get(n)) !== String(moved.get(n))), 'BN statistics moved');
  snapshot.restore(model);
  assert.deepEqual(values(model), kept);
  snapshot.dispose();
  model.dispose();
});

test('EpochKeeper saves the best epoch by the monitor, and the last one under keep last', async () => {
  for (const keep of ['best', 'last'] as const) {
    const model = buildArchitecture(spec);
    const keeper = new EpochKeeper(model, new EpochMonitor('val_accuracy'), keep);
    const after: Map<string, number[]>[] = [];
    for (const [epoch, accuracy] of [[1, 0.5], [2, 0.8], [3, 0.6]] as const) {
      await trainEpoch(model, { kind: 'none' }, 10 + epoch);
      after.push(values(model));
      keeper.observe(epoch, { accuracy, loss: 1 });
    }
    const { keptEpoch, best } = keeper.finish(3);
    assert.equal(best!.epoch, 2);
    assert.equal(keptEpoch, keep === 'best' ? 2 : 3);
    assert.deepEqual(values(model), after[keptEpoch - 1]);
    assert.notDeepEqual(after[1], after[2]);
    model.dispose();
  }
});
