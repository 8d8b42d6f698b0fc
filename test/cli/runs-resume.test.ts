// Stop and resume through the real binary: Ctrl+C leaves a stopped run with a checkpoint, kill -9
// a killed one; `runs resume` continues either to a loadable --out, and refuses (exit 2, one
// line) what cannot be continued.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/util/package-root.js';
import { contentHash } from '../../src/models/model-io.js';
import { finishedRun, newHome, readStore, runCli, startCli, waitForStatus, writeStore } from '../reliability/store-fixtures.js';

async function trainingHome(): Promise<{ home: string; data: string; parent: string }> {
  const home = await newHome();
  const data = join(home, 'data');
  const synth = await runCli(['data', 'synth', '--domain', 'clean', '--out', data, '--per-class', '2', '--json'], home);
  assert.equal(synth.code, 0, synth.stderr);
  const parent = join(home, 'parent');
  await cp(join(PACKAGE_ROOT, 'pretrained', 'digits-resnet'), parent, { recursive: true });
  return { home, data, parent };
}

const checkpointFile = (home: string, id: string) => join(home, 'checkpoints', id, 'checkpoint.json');

/** The refusal is the only line calibra itself complains with. */
function refusedWith(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  const complaints = r.stderr.split('\n').filter((l) => l.startsWith('calibra: '));
  assert.equal(complaints.length, 1, r.stderr);
  assert.match(complaints[0]!, pattern);
}

test('Ctrl+C mid-run: exit 130, run stopped, checkpoint kept; runs resume finishes it to a loadable --out', async () => {
  const { home, data, parent } = await trainingHome();
  const out = join(home, 'model');
  const train = startCli(['train', '--model', parent, '--data', data, '--out', out, '--epochs', '3', '--batch', '2', '--json'], home);
  await train.stderrMatches(/^epoch 1: loss/m);
  train.child.kill('SIGINT');
  const stopped = await train.exited;
  assert.equal(stopped.code, 130, stopped.stderr);
  const id = stopped.json!.runId as string;
  assert.equal(readStore(home)!.runs.find((r) => r.id === id)?.status, 'stopped');
  assert.ok(existsSync(checkpointFile(home, id)), 'a checkpoint is written when stopped');
  assert.match(stopped.stderr, new RegExp(`'calibra runs resume ${id}' continues the run`));
  assert.equal(existsSync(out), false);

  const resumed = await runCli(['runs', 'resume', id, '--json'], home);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(resumed.json!.resumedFrom, id);
  assert.equal(resumed.json!.out, out, 'the same --out');
  assert.equal(resumed.json!.steps, 30, '3 epochs of 10 steps, as uninterrupted');
  const newId = resumed.json!.runId as string;
  const record = readStore(home)!.runs.find((r) => r.id === newId)!;
  assert.equal(record.status, 'finished');
  assert.equal(record.lineage.resumedFrom, id);
  assert.equal(existsSync(join(home, 'checkpoints', newId)), false, 'a finished run drops its checkpoint');

  const evaluated = await runCli(['eval', '--model', out, '--data', data, '--json'], home);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  assert.equal(evaluated.json!.n, 20);

  refusedWith(await runCli(['runs', 'resume', newId], home), new RegExp(`runs resume ${newId}: it finished`));
});

test('kill -9 after a checkpoint: the killed run resumes, but not once its parent model has changed', async () => {
  const { home, data, parent } = await trainingHome();
  const out = join(home, 'model');
  const train = startCli(['train', '--model', parent, '--data', data, '--out', out, '--epochs', '2', '--batch', '2', '--checkpoint-every', '3', '--json'], home);
  const running = await waitForStatus(home, 'running', train);
  while (!existsSync(checkpointFile(home, running.id))) await new Promise((r) => setTimeout(r, 50));
  train.child.kill('SIGKILL');
  await train.exited;

  const weightsPath = join(parent, 'weights.bin');
  const original = await readFile(weightsPath);
  const changed = Buffer.from(original);
  changed.writeFloatLE(changed.readFloatLE(0) + 0.5, 0);
  const manifestPath = join(parent, 'manifest.json');
  const manifestText = await readFile(manifestPath, 'utf8');
  const topology = (JSON.parse(await readFile(join(parent, 'model.json'), 'utf8')) as { modelTopology: object }).modelTopology;
  const manifest = JSON.parse(manifestText) as { contentHash: string };
  const rehashed = contentHash(topology, changed.buffer.slice(changed.byteOffset, changed.byteOffset + changed.byteLength));
  await writeFile(weightsPath, changed);
  await writeFile(manifestPath, JSON.stringify({ ...manifest, contentHash: rehashed }));
  refusedWith(await runCli(['runs', 'resume', running.id], home), /the parent model .* changed since the run began/);
  assert.equal(readStore(home)!.runs.find((r) => r.id === running.id)?.status, 'killed');

  await writeFile(weightsPath, original);
  await writeFile(manifestPath, manifestText);
  const resumed = await runCli(['runs', 'resume', running.id, '--json'], home);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(resumed.json!.steps, 20);
  assert.equal(resumed.json!.out, out);
  assert.ok(existsSync(join(out, 'model.json')));
});

test('runs resume refuses a run without a checkpoint, and an id that names no run', async () => {
  const home = await newHome();
  await writeStore(home, [{ ...finishedRun('20260101-000000-abcd', '2026-01-01T00:00:00.000Z'), command: 'train', status: 'stopped' }]);
  refusedWith(await runCli(['runs', 'resume', '20260101-000000-abcd'], home), /the run left no checkpoint/);
  refusedWith(await runCli(['runs', 'resume', 'nosuch'], home), /runs resume nosuch: no such run/);
  refusedWith(await runCli(['runs', 'resume'], home), /give the id of a stopped or killed train run/);
});
