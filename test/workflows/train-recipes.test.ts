// The train step's recipes on the shipped digits model and tiny synthetic sets, in process so
// that the run's events and variables can be watched: the schedule over the steps the run really
// makes, stages that unfreeze, keeping the best epoch and stopping early.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/engine/tf.js';
import { initEngine } from '../../src/engine/backend.js';
import { InputError } from '../../src/errors.js';
import { parseStep, synthStepSchema } from '../../src/workflows/schema.js';
import { runTrainStep } from '../../src/workflows/steps/train.js';
import { runEvalStep } from '../../src/workflows/steps/eval.js';
import { runSynthStep } from '../../src/workflows/steps/synth.js';
import { scheduleFor } from '../../src/train/schedule.js';
import type { StepEnv } from '../../src/workflows/step-env.js';
import type { RunEvent } from '../../src/events/run-events.js';

const work = await mkdtemp(join(tmpdir(), 'calibra-recipes-'));
const quiet: StepEnv = { engine: () => initEngine(), emit: () => {}, log: () => {} };
const clean = join(work, 'clean');
const cleanVal = join(work, 'clean-val');
await runSynthStep(synthStepSchema.parse({ domain: 'clean', out: clean, perClass: 3, seed: 1 }), quiet);
await runSynthStep(synthStepSchema.parse({ domain: 'clean', out: cleanVal, perClass: 3, seed: 2 }), quiet);

function trainOptions(raw: Record<string, unknown>) {
  const step = parseStep({ train: { model: 'digits-resnet', data: clean, ...raw } });
  if ('path' in step) throw new Error(`${step.path.join('.')}: ${step.message}`);
  assert.equal(step.kind, 'train');
  return step.kind === 'train' ? step.options : assert.fail();
}

function train(raw: Record<string, unknown>, events: RunEvent[] = [], logs: string[] = []) {
  return runTrainStep(trainOptions(raw), { ...quiet, emit: (e) => events.push(e), log: (l) => logs.push(l) });
}

const stepped = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'OptimizerStepped' ? [e] : []));

test('a cosine schedule with warm-up runs over the optimizer steps the run makes, accumulation counted', async () => {
  const events: RunEvent[] = [];
  const lr = 0.01;
  // 30 images in passes of 4, two passes a step: 8 passes (the last of 2 images), 4 steps an epoch.
  const r = await train({ out: join(work, 'cosine'), epochs: 2, batch: 4, accum: 2, optimizer: 'sgd', lr, schedule: 'cosine', warmup: 2, bnStats: 'freeze' }, events);
  const steps = stepped(events);
  assert.equal(r.steps, 8);
  assert.deepEqual(steps.map((e) => e.step), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.ok(steps.every((e) => e.totalSteps === 8));
  const rates = steps.map((e) => e.lr!);
  assert.equal(rates[0], lr / 2, 'first warm-up step');
  assert.equal(rates[1], lr, 'warm-up done');
  // Cosine from lr to lr/100 over the 6 steps after warm-up: the last step sits at 5/6 of it.
  assert.ok(Math.abs(rates[7]! - lr * (0.01 + 0.99 * 0.5 * (1 + Math.cos((Math.PI * 5) / 6)))) < 1e-12, String(rates[7]));
  assert.deepEqual(rates, rates.map((_, i) => scheduleFor('cosine', lr, 8, 2)(i)));
});

test('two stages: groups frozen in stage 1 do not move until stage 2, and each stage restarts its schedule', async () => {
  const events: RunEvent[] = [];
  const at: Map<string, number[]>[] = [];
  const variables = () => new Map(Object.values(tf.engine().registeredVariables).map((v) => [v.name, Array.from(v.dataSync())]));
  const watch = (e: RunEvent) => {
    events.push(e);
    if (e.type === 'RunStarted' || e.type === 'EpochEnded') at.push(variables());
  };
  const r = await runTrainStep(trainOptions({
    out: join(work, 'staged'), batch: 8, optimizer: 'sgd', schedule: 'cosine', bnStats: 'update',
    stages: [{ freeze: 'backbone', epochs: 1, lr: 0.05 }, { freeze: 'none', epochs: 1, lr: 0.02 }],
  }), { ...quiet, emit: watch });
  const [start, afterStage1, end] = at as [Map<string, number[]>, Map<string, number[]>, Map<string, number[]>];
  const model = [...start.keys()].filter((n) => /^(stem|block\d|head)_/.test(n));
  const changed = (from: Map<string, number[]>, to: Map<string, number[]>) => model.filter((n) => String(from.get(n)) !== String(to.get(n)));
  const inStage1 = changed(start, afterStage1);
  assert.ok(inStage1.length > 0 && inStage1.every((n) => n.startsWith('head_')), `stage 1 moved only the head: ${inStage1}`);
  const inStage2 = changed(afterStage1, end);
  for (const group of ['stem', 'block1', 'block2', 'block3']) {
    assert.ok(inStage2.some((n) => n.startsWith(`${group}_`) && /kernel/.test(n)), `${group} kernels move in stage 2`);
    assert.ok(inStage2.some((n) => n.startsWith(`${group}_`) && /moving_mean/.test(n)), `${group} BN statistics move in stage 2`);
  }
  assert.deepEqual(r.trainable_groups, ['stem', 'block1', 'block2', 'block3', 'head']);
  const steps = stepped(events);
  assert.deepEqual(steps.map((e) => [e.step, e.totalSteps]), [[1, 8], [2, 8], [3, 8], [4, 8], [5, 8], [6, 8], [7, 8], [8, 8]]);
  const expected = [...[0, 1, 2, 3].map(scheduleFor('cosine', 0.05, 4)), ...[0, 1, 2, 3].map(scheduleFor('cosine', 0.02, 4))];
  assert.deepEqual(steps.map((e) => e.lr), expected);
  assert.deepEqual(events.flatMap((e) => (e.type === 'EpochStarted' ? [[e.epoch, e.epochs]] : [])), [[1, 2], [2, 2]]);
});

test('keep best saves the best epoch (weights and BN statistics) and patience stops the run', async () => {
  const events: RunEvent[] = [];
  const logs: string[] = [];
  const out = join(work, 'best');
  // Epoch 1 trains at rate 0 (only the BN statistics move); then a rate of 10 wrecks the weights.
  // With momentum 0 the moving statistics are those of the last pass, which in epoch 2 runs
  // wrecked weights: the saved model scores as epoch 1 did only if they are restored too.
  const r = await train({
    out, val: cleanVal, optimizer: 'adam', patience: 1, batch: 8, bnMomentum: 0,
    stages: [{ freeze: 'none', epochs: 1, lr: 0 }, { freeze: 'none', epochs: 3, lr: 10 }],
  }, events, logs);
  const val = events.flatMap((e) => (e.type === 'ValidationEnded' ? [e] : []));
  assert.equal(val.length, 2, 'stopped after epoch 2, one epoch without improvement');
  assert.ok(val[1]!.accuracy < val[0]!.accuracy, `validation falls: ${val.map((v) => v.accuracy)}`);
  assert.ok(val.every((v) => typeof v.loss === 'number'), 'validation computes the loss too');
  assert.deepEqual(
    { kept: r.kept_epoch, best: r.best_epoch, run: r.epochs_run, stopped: r.stopped_early, steps: r.steps, keep: r.keep, monitor: r.monitor },
    { kept: 1, best: 1, run: 2, stopped: true, steps: 8, keep: 'best', monitor: 'val_accuracy' },
  );
  assert.equal(r.best_val_accuracy, val[0]!.accuracy);
  assert.equal(r.best_val_loss, val[0]!.loss);
  assert.equal(r.val_accuracy, val[0]!.accuracy, 'val_accuracy is the saved epoch\'s');
  const saved = await runEvalStep({ model: out, data: cleanVal, batch: 64, trustWeights: false, bnCheck: false, errors: false }, quiet);
  assert.equal(saved.accuracy, val[0]!.accuracy, 'the saved model scores exactly what epoch 1 scored');
  assert.notEqual(saved.accuracy, val[1]!.accuracy);
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.recipe.result.kept, { epoch: 1, monitor: 'val_accuracy', value: val[0]!.accuracy });
  assert.ok(logs.some((l) => /--keep best: saving epoch 1/.test(l)), logs.join('\n'));
});

test('keep last saves the last epoch; with val_loss the best epoch is the lowest loss', async () => {
  const events: RunEvent[] = [];
  const out = join(work, 'last');
  const r = await train({
    out, val: cleanVal, optimizer: 'adam', keep: 'last', monitor: 'val_loss',
    stages: [{ freeze: 'none', epochs: 1, lr: 0 }, { freeze: 'none', epochs: 1, lr: 10 }],
  }, events);
  const val = events.flatMap((e) => (e.type === 'ValidationEnded' ? [e] : []));
  assert.ok(val[1]!.loss! > val[0]!.loss!, `validation loss rises: ${val.map((v) => v.loss)}`);
  assert.deepEqual({ kept: r.kept_epoch, best: r.best_epoch, monitor: r.monitor }, { kept: 2, best: 1, monitor: 'val_loss' });
  const saved = await runEvalStep({ model: out, data: cleanVal, batch: 64, trustWeights: false, bnCheck: false, errors: false }, quiet);
  assert.equal(saved.accuracy, val[1]!.accuracy);
});

test('recipe mistakes are one-line input errors naming the flag or field', async () => {
  const rejects = (raw: Record<string, unknown>, pattern: RegExp) => assert.rejects(train({ out: join(work, 'never'), ...raw }), (e: Error) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
  await rejects({ keep: 'best' }, /^--keep best: epochs are judged on validation data; give --val DIR or --val-split F, or --keep last$/);
  await rejects({ patience: 2 }, /^--patience 2: epochs are judged on validation data/);
  await rejects({ monitor: 'val_loss' }, /^--monitor val_loss: /);
  await rejects({ nesterov: true }, /^--nesterov: .*--optimizer sgd/);
  await rejects({ warmup: 1, batch: 32 }, /^--warmup 1: the run makes only 1 optimizer steps/);
  await rejects({ lrMult: 'trunk=0.1' }, /^--lr-mult trunk=0\.1: the model has no group 'trunk'/);
  await rejects({ stages: [{ freeze: 'last:9', epochs: 1 }] }, /^stages\.0\.freeze last:9: the model has 5 layer groups/);
  const staged = parseStep({ train: { model: 'm', data: 'd', out: 'o', epochs: 2, stages: [{ freeze: 'none', epochs: 1 }] } });
  assert.deepEqual('path' in staged ? staged.path : null, ['train', 'epochs']);
  const summed = parseStep({ train: { model: 'm', data: 'd', out: 'o', stages: [{ freeze: 'backbone', epochs: 1 }, { freeze: 'none', epochs: 2 }] } });
  assert.deepEqual('options' in summed && summed.kind === 'train' ? [summed.options.epochs, summed.options.freeze] : null, [3, 'backbone']);
});
