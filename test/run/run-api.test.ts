// The run API under the CLI and the TUI: events stamped with their run, kept in the run's event
// log for replay, every failure preceded by a start, subscribers that cannot break a run, and the
// same run in a worker thread as in-process.
import test from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeDataset } from '../../src/data/synth/index.js';
import { InputError } from '../../src/errors.js';
import type { StampedEvent } from '../../src/events/run-events.js';
import { executeRun, readRunEvents } from '../../src/run/run-api.js';
import { eventLogPath } from '../../src/run/event-log.js';
import { checkpointDir } from '../../src/train/checkpoint.js';
import { RunStore } from '../../src/store/run-store.js';
import { evalStepSchema, trainStepSchema, type Step } from '../../src/workflows/schema.js';

const work = mkdtempSync(join(tmpdir(), 'calibra-run-api-'));
const home = join(work, 'home');
process.env.CALIBRA_HOME = home;
const data = (await synthesizeDataset({ domain: 'inverted', out: join(work, 'data'), perClass: 3, seed: 1 })).out;

const evalStep = (name?: string): Step => ({ kind: 'eval', ...(name ? { name } : {}), options: evalStepSchema.parse({ model: 'digits-resnet', data, batch: 8 }) });
const trainStep = (out: string): Step => ({ kind: 'train', options: trainStepSchema.parse({ model: 'digits-resnet', data, out: join(work, out), epochs: 2, batch: 10, seed: 3, optimizer: 'sgd' }) });

test('events are stamped with their run, time and step, and the event log replays them exactly', async () => {
  const seen: StampedEvent[] = [];
  const result = await executeRun({ steps: [evalStep('before'), evalStep()], backend: 'wasm' }, { onEvent: (e) => seen.push(e) });
  assert.equal(result.runIds.length, 2);
  assert.deepEqual(result.outcomes.map((o) => o.runId), result.runIds);
  for (const [i, runId] of result.runIds.entries()) {
    const mine = seen.filter((e) => e.runId === runId);
    assert.equal(mine[0]!.type, 'RunStarted');
    assert.equal(mine.at(-1)!.type, 'RunFinished');
    assert.ok(mine.every((e) => e.stepIndex === i && e.stepName === (i === 0 ? 'before' : '2-eval')), 'step index and name on every event');
    const times = mine.map((e) => Date.parse(e.at));
    assert.ok(times.every((t, k) => Number.isFinite(t) && (k === 0 || t >= times[k - 1]!)), 'timestamps parse and never go back');
    assert.deepEqual(await readRunEvents(runId), JSON.parse(JSON.stringify(mine)), 'the log holds exactly what the subscriber saw');
  }
  assert.equal(seen.length, seen.filter((e) => e.runId !== null).length);
});

test('a step that fails before it starts still opens its run, so RunFailed always follows RunStarted, and is recorded failed', async () => {
  const seen: StampedEvent[] = [];
  const missing = join(work, 'no-such-folder');
  const bad: Step = { kind: 'eval', options: evalStepSchema.parse({ model: 'digits-resnet', data: missing }) };
  let recorded: string[] = [];
  await assert.rejects(executeRun({ steps: [bad] }, { onEvent: (e) => seen.push(e), onRecorded: (ids) => (recorded = ids) }), (err: unknown) => err instanceof InputError && err.message.includes(missing));
  assert.deepEqual(seen.map((e) => e.type), ['RunStarted', 'RunFailed']);
  assert.equal(recorded.length, 1);
  const run = await new RunStore().findOne(recorded[0]!, 'test');
  assert.equal(run.status, 'failed');
  assert.match(run.error ?? '', /folder not found/);
});

test('a subscriber that throws cannot stop the run; the others hear about it', async () => {
  const warnings: string[] = [];
  const result = await executeRun({ steps: [evalStep()], backend: 'wasm' }, {
    onEvent: (e) => {
      if (e.type === 'EvalProgress') throw new Error('display broke');
      if (e.type === 'RunWarning') warnings.push(e.message);
    },
  });
  assert.equal(typeof result.outcomes[0]!.result.accuracy, 'number');
  assert.ok(warnings.some((w) => w.includes('display broke')), warnings.join('; '));
});

test('a partial last line (a kill during an append) is dropped, the rest replays', async () => {
  const result = await executeRun({ steps: [evalStep()], backend: 'wasm' });
  const runId = result.runIds[0]!;
  const whole = await readRunEvents(runId);
  appendFileSync(eventLogPath(home, runId), '{"type":"EvalProg');
  assert.deepEqual(await readRunEvents(runId), whole);
  await assert.rejects(readRunEvents('20000101-000000-0000'), /no event log/);
});

test('a train step in a worker thread ends with the same weights and the same events as in-process', async () => {
  const here: StampedEvent[] = [];
  const there: StampedEvent[] = [];
  const a = await executeRun({ steps: [trainStep('here')], backend: 'wasm' }, { onEvent: (e) => here.push(e) });
  const b = await executeRun({ steps: [trainStep('there')], backend: 'wasm', inWorker: true }, { onEvent: (e) => there.push(e) });
  assert.equal(a.outcomes[0]!.result.loss, b.outcomes[0]!.result.loss);
  const weights = (dir: string) => readFileSync(join(work, dir, 'weights.bin'));
  assert.ok(weights('here').equals(weights('there')), 'identical weights.bin');
  assert.deepEqual(there.map((e) => e.type), here.map((e) => e.type));
  assert.ok(there.every((e) => e.runId === b.runIds[0]));
});

test('aborting a worker run stops it at a step boundary with a checkpoint, recorded stopped', async () => {
  const stop = new AbortController();
  let steps = 0;
  let recorded: string[] = [];
  await assert.rejects(executeRun({ steps: [trainStep('stopped')], backend: 'wasm', inWorker: true }, {
    signal: stop.signal,
    onRecorded: (ids) => (recorded = ids),
    onEvent: (e) => {
      if (e.type === 'OptimizerStepped' && ++steps === 1) stop.abort(new Error('stop from the test'));
    },
  }), /stop from the test/);
  const run = await new RunStore().findOne(recorded[0]!, 'test');
  assert.equal(run.status, 'stopped');
  assert.ok(existsSync(checkpointDir(home, run.id)), 'a checkpoint to resume from');
  assert.equal(existsSync(join(work, 'stopped')), false, 'no model saved');
});
