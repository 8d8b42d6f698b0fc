// Discriminative rates reach the variables of each group's layers, and weight decay spares
// exactly the variables of rank ≤ 1.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import type { ResNetSpec } from '../../src/models/architectures/spec.js';
import { modelGroups } from '../../src/models/manifest-builder.js';
import { PIXELS_0_1 } from '../../src/models/manifest.js';
import { applyStrategy } from '../../src/train/strategy.js';
import { trainStep } from '../../src/train/trainer.js';
import { optimizerFor } from '../../src/train/optimizers.js';
import { variableOptions } from '../../src/train/param-options.js';
import { createRng } from '../../src/util/rng.js';

await tf.setBackend('cpu');

const spec: ResNetSpec = {
  family: 'resnet', inputShape: [8, 8, 3], stem: { channels: 4, kernel: 3, stride: 1, maxPool: false },
  stages: [{ channels: 4, blocks: 1, stride: 1 }, { channels: 8, blocks: 1, stride: 2 }], numClasses: 2,
};
const manifest = { inputShape: spec.inputShape, preprocessing: PIXELS_0_1, classes: ['a', 'b'], output: 'logits' as const };
/** Calibra's architectures name every layer after its group, e.g. block2_0_conv1. */
const groupOfName = (name: string) => name.split('_')[0]!;

test('each trainable variable takes its group\'s multiplier; geometric spreads over the groups that train', () => {
  const model = buildArchitecture(spec);
  const groups = modelGroups(model);
  const all = applyStrategy(model, groups, { freeze: { kind: 'none' }, bnStats: 'update', bnAffine: 'train' });
  const { lrScale } = variableOptions(model, groups, all.trainableGroups, all.variables, 'stem=0.1,block2=0.5');
  assert.equal(lrScale!.size, all.variables.length);
  for (const v of all.variables) assert.equal(lrScale!.get(v.name), { stem: 0.1, block2: 0.5 }[groupOfName(v.name)] ?? 1, v.name);

  const last2 = applyStrategy(model, groups, { freeze: { kind: 'last', groups: 2 }, bnStats: 'update', bnAffine: 'train' });
  assert.deepEqual(last2.trainableGroups, ['block2', 'head']);
  const geometric = variableOptions(model, groups, last2.trainableGroups, last2.variables, 'geometric:0.1').lrScale!;
  for (const v of last2.variables) assert.equal(geometric.get(v.name), groupOfName(v.name) === 'block2' ? 0.1 : 1, v.name);
  assert.ok(![...geometric.keys()].some((n) => /^(stem|block1)_/.test(n)), 'frozen groups get no rate');
  model.dispose();
});

test('noDecay holds exactly the biases and BN gamma and beta (rank ≤ 1)', () => {
  const model = buildArchitecture(spec);
  const applied = applyStrategy(model, modelGroups(model), { freeze: { kind: 'none' }, bnStats: 'update', bnAffine: 'train' });
  const { noDecay, lrScale } = variableOptions(model, modelGroups(model), applied.trainableGroups, applied.variables);
  assert.equal(lrScale, undefined, 'no multipliers without --lr-mult');
  const expected = applied.variables.filter((v) => /\/(bias|gamma|beta)/.test(v.name)).map((v) => v.name).sort();
  assert.ok(expected.some((n) => /gamma/.test(n)) && expected.some((n) => /bias/.test(n)));
  assert.deepEqual([...noDecay!].sort(), expected);
  model.dispose();
});

test('a step with stem=0 leaves the stem as it was and moves every other variable', async () => {
  const model = buildArchitecture(spec);
  const groups = modelGroups(model);
  const applied = applyStrategy(model, groups, { freeze: { kind: 'none' }, bnStats: 'freeze', bnAffine: 'train' });
  const optimizer = optimizerFor('sgd', 0.1, variableOptions(model, groups, applied.trainableGroups, applied.variables, 'stem=0'));
  const before = new Map(applied.variables.map((v) => [v.name, Array.from(v.dataSync())]));
  const rng = createRng(4);
  const batch = { x: Float32Array.from({ length: 8 * 192 }, () => 255 * rng.next()), y: Int32Array.from({ length: 8 }, () => rng.int(2)), n: 8 };
  await trainStep({ model, manifest, variables: applied.variables, optimizer }, [batch]);
  for (const v of applied.variables) {
    const moved = Array.from(v.dataSync()).some((x, i) => x !== before.get(v.name)![i]);
    assert.equal(moved, groupOfName(v.name) !== 'stem', v.name);
  }
  optimizer.dispose();
  model.dispose();
});

test('with zero gradients, weight decay shrinks each kernel by lr·wd·multiplier and spares rank ≤ 1', () => {
  const model = buildArchitecture(spec);
  const groups = modelGroups(model);
  const applied = applyStrategy(model, groups, { freeze: { kind: 'none' }, bnStats: 'freeze', bnAffine: 'train' });
  const [lr, wd] = [0.1, 0.5];
  const optimizer = optimizerFor('sgd', lr, { weightDecay: wd, ...variableOptions(model, groups, applied.trainableGroups, applied.variables, 'block1=0.5') });
  const before = new Map(applied.variables.map((v) => [v.name, Array.from(v.dataSync())]));
  const zeros = Object.fromEntries(applied.variables.map((v) => [v.name, tf.zerosLike(v)]));
  optimizer.applyGradients(zeros);
  for (const v of applied.variables) {
    const factor = v.rank <= 1 ? 1 : 1 - lr * wd * (groupOfName(v.name) === 'block1' ? 0.5 : 1);
    const after = v.dataSync();
    before.get(v.name)!.forEach((x, i) => assert.ok(Math.abs(after[i]! - x * factor) < 1e-6, `${v.name}[${i}]: ${after[i]} vs ${x * factor}`));
  }
  tf.dispose(Object.values(zeros));
  optimizer.dispose();
  model.dispose();
});
