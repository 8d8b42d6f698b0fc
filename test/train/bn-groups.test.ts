// A workflow's per-group BN policies, from YAML to the state of each BN layer of the shipped
// digits model.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/engine/tf.js';
import { isBatchNorm } from '../../src/bn/batch-norm-layer.js';
import { loadModel } from '../../src/models/model-io.js';
import { modelGroups } from '../../src/models/manifest-builder.js';
import { leafLayers } from '../../src/models/layer-walk.js';
import { loadWorkflow } from '../../src/workflows/runner.js';
import { strategyArgs } from '../../src/workflows/steps/train.js';
import { applyStrategy } from '../../src/train/strategy.js';
import { InputError } from '../../src/errors.js';
import type { TrainStep } from '../../src/workflows/schema.js';

await tf.setBackend('cpu');

async function trainOptions(bn: string, extra = ''): Promise<TrainStep> {
  const file = join(await mkdtemp(join(tmpdir(), 'calibra-bn-')), 'p.yaml');
  await writeFile(file, `name: t\nsteps:\n  - train:\n      model: digits-resnet\n      data: d\n      out: o\n      bnMomentum: 0.8\n${extra}      bn: ${bn}\n`);
  const { steps } = await loadWorkflow(file);
  assert.equal(steps[0]!.kind, 'train');
  return steps[0]!.options as TrainStep;
}

test('per-group policies set exactly those per-layer states', async () => {
  const o = await trainOptions('{ default: { epsilon: 0.0001 }, groups: { stem: { stats: freeze, affine: freeze }, block1: { momentum: 0.99 }, block3: { stats: reset } } }', '      freeze: none\n');
  const { model } = await loadModel('digits-resnet');
  // Every group trains; the stem's conv trains but its BN is frozen by its own entry.
  const strategy = applyStrategy(model, modelGroups(model), strategyArgs(o));
  const state = leafLayers(model).filter(isBatchNorm).map((l) => ({
    name: l.name, stats: l.statsMode, gamma: l.gamma!.trainable, beta: l.beta!.trainable, momentum: l.momentum, epsilon: l.epsilon,
  }));
  const expected = (name: string, stats: string, affine: boolean, momentum: number) => ({ name, stats, gamma: affine, beta: affine, momentum, epsilon: 1e-4 });
  assert.deepEqual(state, [
    expected('stem_bn', 'freeze', false, 0.8),
    expected('block1_0_bn1', 'update', true, 0.99),
    expected('block1_0_bn2', 'update', true, 0.99),
    expected('block2_0_bn1', 'update', true, 0.8),
    expected('block2_0_bn2', 'update', true, 0.8),
    expected('block2_0_down_bn', 'update', true, 0.8),
    expected('block3_0_bn1', 'reset', true, 0.8),
    expected('block3_0_bn2', 'reset', true, 0.8),
    expected('block3_0_down_bn', 'reset', true, 0.8),
  ]);
  assert.deepEqual(strategy.resetLayers, ['block3_0_bn1', 'block3_0_bn2', 'block3_0_down_bn']);
  assert.equal(strategy.batchNormUpdating, 8);
  const trainable = new Set(strategy.variables.map((v) => v.name));
  assert.ok(![...trainable].some((n) => n.includes('stem_bn')), 'stem gamma/beta not among the variables');
  assert.ok([...trainable].some((n) => n.includes('stem_conv')), 'the stem convolution still trains');
  model.dispose();
});

test('frozen groups keep the model\'s own BN settings and --bn-eps reaches only training groups', async () => {
  const o = await trainOptions('{ groups: { head: { stats: update } } }', '      freeze: last:2\n      bnEps: 0.01\n');
  const { model } = await loadModel('digits-resnet');
  applyStrategy(model, modelGroups(model), strategyArgs(o));
  const bn = leafLayers(model).filter(isBatchNorm);
  assert.deepEqual(bn.map((l) => [l.name, l.statsMode, l.epsilon, l.momentum]), [
    ['stem_bn', 'freeze', 1e-3, 0.99], ['block1_0_bn1', 'freeze', 1e-3, 0.99], ['block1_0_bn2', 'freeze', 1e-3, 0.99],
    ['block2_0_bn1', 'freeze', 1e-3, 0.99], ['block2_0_bn2', 'freeze', 1e-3, 0.99], ['block2_0_down_bn', 'freeze', 1e-3, 0.99],
    ['block3_0_bn1', 'update', 0.01, 0.8], ['block3_0_bn2', 'update', 0.01, 0.8], ['block3_0_down_bn', 'update', 0.01, 0.8],
  ]);
  model.dispose();
});

test('a group name the model lacks is an InputError naming its groups', async () => {
  const o = await trainOptions('{ groups: { block4: { stats: freeze } } }');
  const { model } = await loadModel('digits-resnet');
  assert.throws(() => applyStrategy(model, modelGroups(model), strategyArgs(o)), (e: Error) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /^bn\.groups\.block4: the model has no group 'block4' \(its groups: stem, block1, block2, block3, head\)$/);
    return true;
  });
  model.dispose();
});

test('a misspelt policy field is reported at its place in the preset', async () => {
  await assert.rejects(trainOptions('{ groups: { stem: { stat: freeze } } }'), /steps\.0\.train\.bn\.groups\.stem: Unrecognized key\(s\) in object: 'stat'/);
  await assert.rejects(trainOptions('{ default: { stats: sometimes } }'), /steps\.0\.train\.bn\.default\.stats: Invalid enum value/);
});
