import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelSummary } from '../../src/models/model-summary.js';
import { estimateTrainMemory } from '../../src/models/train-memory.js';
import { loadWorkflow } from '../../src/workflows/runner.js';
import { loadPresetStrategy, TRAIN_PRESETS } from '../../src/tui/screens/fine-tune/presets.js';
import { STRATEGY_OPTIONS } from '../../src/tui/screens/fine-tune/strategy-options.js';
import { adviseFreezingStatistics, bnUpdating, finalStrategy, freezeForLast, memoryFor, parseTypedNumber, presetValues, trainingGroups } from '../../src/tui/screens/fine-tune/strategy-state.js';
import { buildWorkflow, workflowSteps, workflowYaml, type WizardChoices } from '../../src/tui/screens/fine-tune/wizard-workflow.js';

const group = (name: string, bnLayers: number, params: number, activations: number) => ({ name, layers: [`${name}_conv`], bnLayers, params, activations });
const model: ModelSummary = {
  id: 'm', path: '/m/model.json', inputShape: [8, 8, 3], preprocessing: '[0,1]', preprocessingSource: 'the Calibra manifest', preprocessingGuessed: false,
  classes: ['a', 'b'], bnLayers: 6, params: 1110,
  groups: [group('stem', 1, 10, 100), group('block1', 2, 100, 50), group('block2', 3, 1000, 20), group('head', 0, 0, 2)],
};

test('freeze specs as counts of training groups from the head, and back', () => {
  assert.deepEqual([1, 2, 3, 4, 9].map((n) => freezeForLast(n, 4)), ['backbone', 'last:2', 'last:3', 'none', 'none']);
  for (const n of [1, 2, 3, 4]) assert.equal(trainingGroups(model, { freeze: freezeForLast(n, 4) }).size, n);
  // A staged strategy starts with its first stage's freeze.
  assert.deepEqual([...trainingGroups(model, { stages: [{ freeze: 'last:2', epochs: 1 }] })], ['block2', 'head']);
});

test('BN layers updating: those of the training groups, none when statistics freeze', () => {
  assert.equal(bnUpdating(model, { freeze: 'none', bnStats: 'update' }), 6);
  assert.equal(bnUpdating(model, { freeze: 'last:2', bnStats: 'reset' }), 3);
  assert.equal(bnUpdating(model, { freeze: 'backbone', bnStats: 'update' }), 0);
  assert.equal(bnUpdating(model, { freeze: 'none', bnStats: 'freeze' }), 0);
});

test('the advice follows the trainer\'s rule: accumulated passes under 16 with BN layers updating', () => {
  assert.equal(adviseFreezingStatistics(model, { freeze: 'none', bnStats: 'update', batch: 8, accum: 4 }), true);
  assert.equal(adviseFreezingStatistics(model, { freeze: 'none', bnStats: 'freeze', batch: 8, accum: 4 }), false);
  // Only the head trains and it has no BN layer: nothing is noisy.
  assert.equal(adviseFreezingStatistics(model, { freeze: 'backbone', bnStats: 'update', batch: 8, accum: 4 }), false);
  assert.equal(adviseFreezingStatistics(model, { freeze: 'none', bnStats: 'update', batch: 16, accum: 4 }), false);
});

test('the form\'s memory figure is the estimator\'s over the groups that train', () => {
  const got = memoryFor(model, { freeze: 'last:2', batch: 4, accum: 2, optimizer: 'sgd' });
  const want = estimateTrainMemory({
    groups: [{ params: 10, activations: 100, trains: false }, { params: 100, activations: 50, trains: false }, { params: 1000, activations: 20, trains: true }, { params: 0, activations: 2, trains: true }],
    inputElements: 192, batch: 4, accum: 2, optimizerSlots: 1,
  });
  assert.deepEqual(got, want);
});

test('typed numbers are checked against the declaration and name the flag', () => {
  const spec = (field: string) => STRATEGY_OPTIONS.find((o) => o.field === field)!;
  assert.equal(parseTypedNumber(spec('batch'), '24'), 24);
  assert.equal(parseTypedNumber(spec('batch'), '0'), 'batch 0: at least 1');
  assert.equal(parseTypedNumber(spec('batch'), '2.5'), 'batch 2.5: expected a whole number');
  assert.equal(parseTypedNumber(spec('batch'), ''), 'batch: give a value (default 32)');
  assert.equal(parseTypedNumber(spec('lr'), ''), null);
  assert.equal(parseTypedNumber(spec('lr'), '3e-4'), 3e-4);
  assert.equal(parseTypedNumber(spec('lr'), 'x'), 'lr x: expected a number');
});

const choices = (strategy: Record<string, unknown>, validation: WizardChoices['validation']): WizardChoices => ({
  model: 'digits-resnet', modelId: 'digits-resnet', data: '/d/train', validation, out: '/o/ft', overwrite: false, preset: null, edited: false, strategy,
});

test('every shipped train preset, through the form, gives a preset that calibra run loads to the same steps', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'calibra-wizard-presets-'));
  for (const name of TRAIN_PRESETS) {
    for (const validation of [{ kind: 'folder', path: '/d/val' }, { kind: 'none' }, { kind: 'split', share: 0.2 }] as const) {
      const preset = await loadPresetStrategy(name);
      const workflow = buildWorkflow(choices(finalStrategy(presetValues(preset.values), validation.kind !== 'none'), validation));
      const file = join(dir, `${name}-${validation.kind}.yaml`);
      writeFileSync(file, workflowYaml(workflow));
      const steps = workflowSteps(workflow);
      assert.deepEqual((await loadWorkflow(file)).steps, steps, file);
      const train = steps[0]!;
      assert.equal(train.kind, 'train');
      if (train.kind !== 'train') continue;
      // What the preset says survives; what needs validation goes when there is none.
      for (const [field, value] of Object.entries(preset.values)) {
        if (validation.kind === 'none' && (field === 'keep' || field === 'patience')) continue;
        assert.deepEqual((train.options as Record<string, unknown>)[field], value, `${name}: ${field}`);
      }
      assert.equal(train.options.keep, validation.kind === 'none' ? undefined : 'best');
    }
  }
});

test('the YAML leaves out values equal to the declared defaults, but always states freeze, BN statistics and epochs', () => {
  const w = buildWorkflow(choices({ freeze: 'none', bnStats: 'update', epochs: 1, batch: 32, accum: 1, optimizer: 'adamw', lr: undefined }, { kind: 'split', share: 0.1 }));
  assert.deepEqual(w.steps[0], { name: 'fine-tune', train: { model: 'digits-resnet', data: '/d/train', valSplit: 0.1, out: '/o/ft', freeze: 'none', bnStats: 'update', epochs: 1, optimizer: 'adamw' } });
});
