import test from 'node:test';
import assert from 'node:assert/strict';
import { bestEpoch, currentStep, initialRunState, replayRun, runReducer, stepFraction, type RunAction, type RunState } from '../../src/tui/run-state.js';
import { stamp, trainEvents } from './events.js';

const fold = (actions: readonly RunAction[], from: RunState = initialRunState) => actions.reduce(runReducer, from);

test('mid-training: progress, rate and ETA come from the last optimizer step; loss per step, val accuracy per epoch', () => {
  const state = fold(stamp(trainEvents(false), { index: 0, name: 'train', runId: 'r1' }));
  const step = currentStep(state)!;
  assert.equal(state.status, 'running');
  assert.equal(step.command, 'train');
  assert.equal(step.backend, 'native');
  assert.equal(step.runId, 'r1');
  assert.deepEqual([step.done, step.total], [12, 16]);
  assert.equal(stepFraction(step), 0.75);
  // 4 images left at 4 images/s.
  assert.equal(step.etaSeconds, 1);
  assert.deepEqual([step.epoch, step.epochs], [2, 2]);
  assert.deepEqual(step.loss, [2.0, 1.5, 1.0]);
  assert.deepEqual(step.valAccuracy, [0.6]);
  assert.deepEqual(step.epochRows, [{ epoch: 1, loss: 1.75, accuracy: 0.375, valAccuracy: 0.6, seconds: 1, imagesPerSecond: 8 }]);
  assert.equal(step.saved, '/m/out-epoch1');
});

test('a finished train: both epochs with their validation, the best epoch by val accuracy, the result', () => {
  const state = fold([...stamp(trainEvents(), { index: 0, name: 'train', runId: 'r1' }), { type: 'RunSettled', error: null }]);
  const step = currentStep(state)!;
  assert.equal(state.status, 'finished');
  assert.equal(step.status, 'finished');
  assert.deepEqual(step.epochRows.map((r) => [r.epoch, r.valAccuracy]), [[1, 0.6], [2, 0.5]]);
  assert.equal(bestEpoch(step.epochRows), 1);
  assert.deepEqual(step.result, { val_accuracy: 0.6, train_accuracy: 0.875, out: '/m/out' });
  assert.equal(stepFraction(step), 1);
});

test('stop: the key marks the run stopping, and the rejection that follows makes it stopped, not failed', () => {
  const events = stamp([...trainEvents(false), { type: 'RunFailed', error: 'stopped by the stop key' }], { index: 0, name: 'train', runId: 'r1' });
  const stopping = fold([...events.slice(0, 5), { type: 'StopRequested' }]);
  assert.equal(stopping.status, 'stopping');
  const stopped = fold([...events.slice(5), { type: 'RunSettled', error: 'stopped by the stop key' }], stopping);
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.error, 'stopped by the stop key');
  const failed = fold([...events, { type: 'RunSettled', error: '--data /x: not a folder' }]);
  assert.equal(failed.status, 'failed');
  assert.equal(currentStep(failed)!.error, 'stopped by the stop key');
});

test('exact recalibration: work counts one pass per BN layer, so progress and ETA cover the passes still to come', () => {
  const state = fold(stamp([
    { type: 'RunStarted', command: 'recalibrate', backend: 'wasm', config: {}, totalSteps: 0, totalImages: 10 },
    { type: 'RecalibrationProgress', mode: 'exact', imagesDone: 5, totalImages: 10, imagesPerSecond: 5, layer: 'block1_bn', layerIndex: 2, layers: 4 },
  ], { index: 0, name: 'recalibrate', runId: null }));
  const step = currentStep(state)!;
  // Pass 1 done (10) plus half of pass 2 (5), of 4 passes of 10.
  assert.deepEqual([step.done, step.total], [15, 40]);
  assert.equal(step.etaSeconds, 25 / 5);
  assert.equal(step.detail, 'BN 2/4 block1_bn');
  const fast = fold(stamp([
    { type: 'RecalibrationProgress', mode: 'fast', imagesDone: 3, totalImages: 12, imagesPerSecond: 3, layer: null, layerIndex: 4, layers: 4 },
  ], { index: 0, name: 'r', runId: null }));
  assert.deepEqual([currentStep(fast)!.done, currentStep(fast)!.total, currentStep(fast)!.etaSeconds], [3, 12, 3]);
});

test('several steps keep apart by step index; warnings and skipped files are counted for the whole run', () => {
  const before = stamp([
    { type: 'RunStarted', command: 'eval', backend: 'wasm', config: {}, totalSteps: 0, totalImages: 20 },
    { type: 'EvalProgress', imagesSeen: 20, totalImages: 20, imagesPerSecond: 40 },
    { type: 'DataSkipped', files: [{ path: 'a.png', reason: 'truncated' }, { path: 'b.png', reason: 'empty' }] },
    { type: 'RunFinished', result: { accuracy: 0.4 } },
  ], { index: 0, name: 'before', runId: 'e1' });
  const recal = stamp([
    { type: 'RunStarted', command: 'recalibrate', backend: 'wasm', config: {}, totalSteps: 0, totalImages: 10 },
    { type: 'RunWarning', message: 'few images for block3' },
  ], { index: 1, name: 'recalibrate', runId: 'c1' });
  const state = fold([...before, ...recal]);
  assert.deepEqual(state.steps.map((s) => [s.name, s.command, s.status, s.runId]), [['before', 'eval', 'finished', 'e1'], ['recalibrate', 'recalibrate', 'running', 'c1']]);
  assert.equal(state.skippedFiles, 2);
  assert.deepEqual(state.warnings, ['few images for block3']);
  assert.equal(currentStep(state)!.name, 'recalibrate');
});

test('replay: a stored run folds to the state the live run ended in, with the status the store gives it', () => {
  const events = stamp(trainEvents(), { index: 0, name: 'train', runId: 'r9' });
  const live = fold([...events, { type: 'RunSettled', error: null }]);
  const replayed = replayRun(events, 'finished');
  assert.deepEqual(replayed, live);
  const stopped = replayRun([...events.slice(0, 7), ...stamp([{ type: 'RunFailed', error: 'stopped by SIGINT' }], { index: 0, name: 'train', runId: 'r9' })], 'stopped');
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.error, 'stopped by SIGINT');
});

test('best epoch: none without validation; the first of equal accuracies', () => {
  const row = (epoch: number, valAccuracy: number | null) => ({ epoch, loss: 1, accuracy: 0.5, valAccuracy, seconds: 1, imagesPerSecond: 1 });
  assert.equal(bestEpoch([row(1, null), row(2, null)]), null);
  assert.equal(bestEpoch([row(1, 0.5), row(2, 0.7), row(3, 0.7), row(4, 0.6)]), 2);
});
