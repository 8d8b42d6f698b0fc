import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import type { ResNetSpec } from '../../src/models/architectures/spec.js';
import { modelGroups } from '../../src/models/manifest-builder.js';
import { PIXELS_0_1 } from '../../src/models/manifest.js';
import { applyStrategy } from '../../src/train/strategy.js';
import { trainStep } from '../../src/train/trainer.js';
import { Momentum } from '../../src/train/optimizers.js';
import type { Batch } from '../../src/data/batches.js';
import type { BnStatsMode } from '../../src/bn/batch-norm-policy.js';
import { createRng } from '../../src/util/rng.js';

await tf.setBackend('cpu');

const spec: ResNetSpec = {
  family: 'resnet', inputShape: [8, 8, 3], stem: { channels: 4, kernel: 3, stride: 1, maxPool: false },
  stages: [{ channels: 4, blocks: 1, stride: 1 }, { channels: 6, blocks: 1, stride: 2 }], numClasses: 3,
};
const manifest = { inputShape: spec.inputShape, preprocessing: PIXELS_0_1, classes: ['a', 'b', 'c'], output: 'logits' as const };

const rng = createRng(3);
const big: Batch = { n: 8, x: Float32Array.from({ length: 8 * 192 }, () => 255 * rng.next()), y: Int32Array.from({ length: 8 }, () => rng.int(3)) };
const slice = (from: number, to: number): Batch => ({ n: to - from, x: big.x.slice(from * 192, to * 192), y: big.y.slice(from, to) });

/** Trainable weights after one SGD step from a shared starting point, over the given micro-batches. */
async function afterOneStep(initial: tf.Tensor[], micro: Batch[], bnStats: BnStatsMode, lr = 0.5): Promise<Float32Array[]> {
  const model = buildArchitecture(spec);
  model.setWeights(initial);
  const { variables } = applyStrategy(model, modelGroups(model), { freeze: { kind: 'none' }, bnStats, bnAffine: 'train' });
  const optimizer = new Momentum(lr, { momentum: 0 });
  await trainStep({ model, manifest, variables, optimizer }, micro);
  const out = variables.map((v) => v.dataSync() as Float32Array);
  optimizer.dispose();
  model.dispose();
  return out;
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  return Math.max(...a.map((w, i) => Math.max(...w.map((v, j) => Math.abs(v - b[i]![j]!)))));
}

const initial = buildArchitecture(spec).getWeights().map((w) => tf.add(w, tf.randomNormal(w.shape, 0, 0.1, 'float32', 7)));

test('with BN statistics frozen, 4 micro-batches of 2 make the same step as one batch of 8', async () => {
  const one = await afterOneStep(initial, [big], 'freeze');
  const four = await afterOneStep(initial, [slice(0, 2), slice(2, 4), slice(4, 6), slice(6, 8)], 'freeze');
  const uneven = await afterOneStep(initial, [slice(0, 3), slice(3, 8)], 'freeze');
  const moved = maxDiff(one, await afterOneStep(initial, [big], 'freeze', 0));
  assert.ok(maxDiff(one, four) < 1e-5, `batch 8 vs 4×2: ${maxDiff(one, four)}`);
  assert.ok(maxDiff(one, uneven) < 1e-5, `batch 8 vs 3+5: ${maxDiff(one, uneven)}`);
  assert.ok(moved > 1e-2, 'the step changed the weights');
});

test('with BN batch statistics, micro-batches normalise on their own and the step differs', async () => {
  const one = await afterOneStep(initial, [big], 'update');
  const four = await afterOneStep(initial, [slice(0, 2), slice(2, 4), slice(4, 6), slice(6, 8)], 'update');
  assert.ok(maxDiff(one, four) > 1e-3, `expected a visible difference, got ${maxDiff(one, four)}`);
});
