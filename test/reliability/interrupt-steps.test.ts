// Ctrl+C reaches every kind of step, not only train: an evaluation, a recalibration or a preset
// stops where it is and reports the interruption instead of a result, so the store records it as
// stopped rather than finished. Aborted from an event, so no timing is involved.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine } from '../../src/engine/backend.js';
import { runStep, runSteps } from '../../src/workflows/runner.js';
import { synthesizeDataset } from '../../src/data/synth/index.js';
import type { RunEvent } from '../../src/events/run-events.js';
import type { StepEnv } from '../../src/workflows/step-env.js';
import type { Step } from '../../src/workflows/schema.js';
import { evalStepSchema, recalibrateStepSchema } from '../../src/workflows/schema.js';

const work = await mkdtemp(join(tmpdir(), 'calibra-interrupt-steps-'));
const data = (await synthesizeDataset({ domain: 'inverted', out: join(work, 'data'), perClass: 8, seed: 1 })).out;

/** An env whose signal is aborted the first time `when` holds for an event; it records the events. */
function envAbortingAt(when: (e: RunEvent) => boolean): { env: StepEnv; events: RunEvent[] } {
  const stop = new AbortController();
  const events: RunEvent[] = [];
  const env: StepEnv = {
    engine: () => initEngine('wasm'),
    log: () => {},
    signal: stop.signal,
    emit: (e) => {
      events.push(e);
      if (!stop.signal.aborted && when(e)) stop.abort(new Error('stopped by the test'));
    },
  };
  return { env, events };
}

test('an eval stopped at its first batch ends with the interruption, not a result', async () => {
  const { env, events } = envAbortingAt((e) => e.type === 'EvalProgress');
  const step: Step = { kind: 'eval', options: evalStepSchema.parse({ model: 'digits-resnet', data, batch: 16 }) };
  await assert.rejects(runStep(step, env), /stopped by the test/);
  const progress = events.filter((e) => e.type === 'EvalProgress');
  assert.equal(progress.length, 1, 'no batch is scored after the stop');
  assert.equal(events.at(-1)!.type, 'RunFailed');
  assert.ok(!events.some((e) => e.type === 'RunFinished'));
});

test('a recalibration stopped at its first progress saves nothing', async () => {
  const out = join(work, 'recalibrated');
  const { env, events } = envAbortingAt((e) => e.type === 'RecalibrationProgress');
  const step: Step = { kind: 'recalibrate', options: recalibrateStepSchema.parse({ model: 'digits-resnet', images: data, out, batch: 16, mode: 'fast' }) };
  await assert.rejects(runStep(step, env), /stopped by the test/);
  assert.equal(existsSync(out), false);
  assert.equal(events.at(-1)!.type, 'RunFailed');
});

test('a preset starts no further step after Ctrl+C', async () => {
  const { env, events } = envAbortingAt((e) => e.type === 'RunFinished');
  const evalStep: Step = { kind: 'eval', name: 'first', options: evalStepSchema.parse({ model: 'digits-resnet', data }) };
  await assert.rejects(runSteps([evalStep, { ...evalStep, name: 'second' }], env.signal, () => env), /stopped by the test/);
  assert.equal(events.filter((e) => e.type === 'RunStarted').length, 1, 'the second step never started');
});
