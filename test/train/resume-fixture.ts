// Shared by the per-backend resume tests: a run stopped or checkpointed part-way and resumed must
// end with the weights of the same run left alone. Each backend runs in its own test file, so in
// its own process: the native kernels, once registered, replace wasm's for the whole process.
import test from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine, type BackendName } from '../../src/engine/backend.js';
import { synthesizeDataset } from '../../src/data/synth/index.js';
import { loadModel } from '../../src/models/model-io.js';
import { trainStepSchema, type TrainStepInput } from '../../src/workflows/schema.js';
import { runTrainStep, type TrainStepResult } from '../../src/workflows/steps/train.js';
import { checkpointDir } from '../../src/train/checkpoint.js';
import type { RunEvent } from '../../src/events/run-events.js';
import type { LoopPosition } from '../../src/train/trainer.js';
import { newRunId } from '../../src/store/run-id.js';

const work = mkdtempSync(join(tmpdir(), 'calibra-resume-'));
const home = join(work, 'home');
process.env.CALIBRA_HOME = home;

export interface Outcome {
  result: TrainStepResult | null;
  error: unknown;
  events: RunEvent[];
  runId: string;
}

/**
 * Runs the train step in this process. `onEvent` sees each event as it is emitted and may abort
 * the run through the controller it is given: a stop at an exact step, with no timing involved.
 */
export async function train(backend: BackendName, input: TrainStepInput, onEvent: (e: RunEvent, stop: AbortController, runId: string) => void = () => {}): Promise<Outcome> {
  const stop = new AbortController();
  const runId = newRunId();
  const events: RunEvent[] = [];
  const env = {
    engine: () => initEngine(backend),
    emit: (e: RunEvent) => {
      events.push(e);
      onEvent(e, stop, runId);
    },
    log: () => {},
    signal: stop.signal,
    runId,
  };
  let result: TrainStepResult | null = null;
  let error: unknown = null;
  try {
    result = await runTrainStep(trainStepSchema.parse(input), env);
  } catch (err) {
    error = err;
  }
  return { result, error, events, runId };
}

/** 3 images per class, and in each class a file that is not an image, so a pass's position runs ahead of its image count. */
export async function digitsData(name: string): Promise<string> {
  const out = join(work, name);
  await synthesizeDataset({ domain: 'clean', out, perClass: 3, seed: 5 });
  for (let c = 0; c < 10; c++) writeFileSync(join(out, String(c), 'broken.png'), 'not a png\n');
  return out;
}

export const outPath = (name: string) => join(work, name);

/** Moves a finished run's model aside, so that a resumed run of the same options can write its --out. */
export function moveAside(out: string): string {
  const aside = `${out}-uninterrupted`;
  renameSync(out, aside);
  return aside;
}

/** Copies a run's checkpoint as it stands, to resume from after the run has gone on. */
export function keepCheckpoint(runId: string): string {
  const copy = join(work, `kept-${runId}-${Math.random().toString(16).slice(2)}`);
  cpSync(checkpointDir(home, runId), copy, { recursive: true });
  return copy;
}

export function putCheckpointBack(copy: string, runId: string): void {
  assert.equal(existsSync(checkpointDir(home, runId)), false, 'a finished run removes its checkpoint');
  cpSync(copy, checkpointDir(home, runId), { recursive: true });
}

export const checkpointExists = (runId: string) => existsSync(join(checkpointDir(home, runId), 'checkpoint.json'));

/** The largest difference between the two models' weights, each relative to the largest magnitude of that weight. */
export async function maxRelativeDifference(a: string, b: string): Promise<{ worst: number; weights: number }> {
  const [ma, mb] = [await loadModel(a), await loadModel(b)];
  assert.deepEqual(ma.model.weights.map((w) => w.originalName), mb.model.weights.map((w) => w.originalName));
  let worst = 0;
  ma.model.weights.forEach((w, i) => {
    const [x, y] = [w.read().dataSync(), mb.model.weights[i]!.read().dataSync()];
    let scale = 0;
    let diff = 0;
    y.forEach((v, j) => {
      scale = Math.max(scale, Math.abs(v));
      diff = Math.max(diff, Math.abs(x[j]! - v));
    });
    worst = Math.max(worst, diff / Math.max(scale, 1e-12));
  });
  const weights = ma.model.weights.length;
  ma.model.dispose();
  mb.model.dispose();
  return { worst, weights };
}

export const steps = (o: Outcome) => o.events.filter((e) => e.type === 'OptimizerStepped').map((e) => (e.type === 'OptimizerStepped' ? e.step : -1));

/** The tests, the same on each backend. Figures go to stdout for the report. */
export function resumeTests(backend: BackendName): void {
  const last = (xs: number[]) => xs[xs.length - 1]!;

  test(`${backend}: a run stopped after epoch 1 and resumed ends with the uninterrupted run's weights`, async () => {
    const data = await digitsData(`data-a-${backend}`);
    const base = { model: 'digits-resnet', data, valSplit: 0.34, epochs: 2, batch: 4, out: outPath(`a-${backend}`) };
    const whole = await train(backend, base);
    assert.equal(whole.error, null, String(whole.error));
    const reference = moveAside(base.out);
    const stopped = await train(backend, base, (e, stop) => {
      if (e.type === 'EpochEnded' && e.epoch === 1) stop.abort(new Error('stopped by the test'));
    });
    assert.match(String(stopped.error), /stopped by the test/);
    assert.equal(existsSync(base.out), false, 'a stopped run saves no model');
    assert.ok(checkpointExists(stopped.runId), 'but it leaves a checkpoint');
    const resumed = await train(backend, { ...base, resume: stopped.runId });
    assert.equal(resumed.error, null, String(resumed.error));
    assert.equal(steps(resumed)[0], last(steps(stopped)) + 1, 'the resumed run takes up at the next step');
    assert.equal(last(steps(resumed)), last(steps(whole)));
    assert.equal(resumed.result!.images, whole.result!.images);
    assert.equal(resumed.result!.val_accuracy, whole.result!.val_accuracy);
    const recipe = async (dir: string) => ((await loadModel(dir)).manifest.recipe as { result: { val: unknown[] } }).result.val;
    assert.deepEqual(await recipe(base.out), await recipe(reference), 'the validation history carries over');
    const { worst, weights } = await maxRelativeDifference(base.out, reference);
    console.log(`${backend}: stopped after epoch 1 (step ${last(steps(stopped))}), resumed: max relative weight difference ${worst.toExponential(2)} over ${weights} weights`);
    assert.ok(worst <= 1e-5, `max relative difference ${worst}`);
  });

  test(`${backend}: a mid-epoch --checkpoint-every checkpoint resumes exactly, with accumulation and momentum`, async () => {
    const data = await digitsData(`data-b-${backend}`);
    const base = { model: 'digits-resnet', data, valSplit: 0.34, epochs: 2, batch: 3, accum: 2, optimizer: 'sgd' as const, checkpointEvery: 3, out: outPath(`b-${backend}`) };
    let kept = '';
    const whole = await train(backend, base, (e, _stop, runId) => {
      // The step-3 checkpoint is on disk once step 4 begins.
      if (e.type === 'OptimizerStepped' && e.step === 4) kept = keepCheckpoint(runId);
    });
    assert.equal(whole.error, null, String(whole.error));
    const at = (JSON.parse(readFileSync(join(kept, 'checkpoint.json'), 'utf8')) as { at: LoopPosition }).at;
    assert.equal(at.steps, 3);
    assert.equal(at.epoch, 1, 'mid-epoch');
    assert.ok(at.position > at.epochImages, `position ${at.position} counts the broken files passed over, beyond ${at.epochImages} images`);
    const reference = moveAside(base.out);
    putCheckpointBack(kept, whole.runId);
    const resumed = await train(backend, { ...base, resume: whole.runId });
    assert.equal(resumed.error, null, String(resumed.error));
    assert.equal(steps(resumed)[0], 4);
    assert.equal(last(steps(resumed)), last(steps(whole)));
    const { worst, weights } = await maxRelativeDifference(base.out, reference);
    console.log(`${backend}: resumed from the step-3 checkpoint (epoch 1, position ${at.position}, ${at.epochImages} images): max relative weight difference ${worst.toExponential(2)} over ${weights} weights`);
    assert.ok(worst <= 1e-5, `max relative difference ${worst}`);
  });
}
