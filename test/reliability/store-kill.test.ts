// kill -9 at each step of a store write (CALIBRA_KILL_AT): the store still parses and holds the
// old state or the new one, the next command neither waits on the dead writer's lock nor loses a
// run, and no temp file outlives the next write. The write under test settles an orphaned run.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { finishedRun, newHome, orphanRun, readStore, runCli, startCli, waitForStatus, writeStore } from './store-fixtures.js';

const EARLIER = [finishedRun('a-first', '2026-01-01T00:00:00.000Z'), finishedRun('b-second', '2026-01-02T00:00:00.000Z')];
const ORPHAN_SEEN = '2026-01-03T00:07:00.000Z';

/** Kill point, and whether the new state is on disk when it fires. */
const KILL_POINTS: [string, boolean][] = [
  ['store-locked', false],
  ['store-temp-written', false],
  ['store-backed-up', false],
  ['store-renamed', true],
  ['store-before-unlock', true],
];

for (const [point, written] of KILL_POINTS) {
  test(`killed at ${point}: the store holds the ${written ? 'new' : 'old'} state and the next command settles it`, async () => {
    const home = await newHome();
    const file = await writeStore(home, [...EARLIER, orphanRun('c-orphan', '2026-01-03T00:00:00.000Z', ORPHAN_SEEN)]);
    const before = readFileSync(file, 'utf8');
    const killed = await runCli(['runs', 'list', '--json'], home, { CALIBRA_KILL_AT: point });
    assert.equal(killed.signal, 'SIGKILL', `${point} was reached: ${killed.stderr}`);
    if (written) assert.equal(readStore(home)!.runs[2]!.status, 'killed');
    else assert.equal(readFileSync(file, 'utf8'), before, 'the old state, byte for byte');
    if (point === 'store-backed-up' || written) assert.equal(readFileSync(`${file}.bak`, 'utf8'), before, 'the backup is the old state');

    const next = await runCli(['runs', 'list', '--json'], home);
    assert.equal(next.code, 0, next.stderr);
    const runs = next.json!.runs as { id: string; status: string; finishedAt: string; lastSeen: string }[];
    assert.deepEqual(runs.map((r) => `${r.id} ${r.status}`), ['a-first finished', 'b-second finished', 'c-orphan killed']);
    assert.deepEqual([runs[2]!.lastSeen, runs[2]!.finishedAt], [ORPHAN_SEEN, ORPHAN_SEEN], 'ended when it was last seen');
    assert.equal(existsSync(`${file}.lock`), false, 'no lock left');
    assert.deepEqual(readdirSync(home).filter((n) => n.endsWith('.tmp')), [], 'no temp file left');
  });
}

test('a run killed mid-way shows as killed in runs list --json, with when it was last seen', async () => {
  const home = await newHome();
  await writeStore(home, EARLIER);
  const data = join(home, 'data');
  const synth = await runCli(['data', 'synth', '--domain', 'clean', '--out', data, '--per-class', '2', '--json'], home);
  assert.equal(synth.code, 0, synth.stderr);
  const train = startCli(['train', '--model', 'digits-resnet', '--data', data, '--out', join(home, 'model'), '--steps', '100000', '--batch', '2'], home);
  const running = await waitForStatus(home, 'running', train);
  train.child.kill('SIGKILL');
  assert.equal((await train.exited).signal, 'SIGKILL');
  const seen = readStore(home)!.runs.find((r) => r.id === running.id)!.lastSeen!;
  const list = await runCli(['runs', 'list', '--json'], home);
  assert.equal(list.code, 0, list.stderr);
  const runs = list.json!.runs as { id: string; status: string; lastSeen: string; command: string }[];
  assert.deepEqual(runs.map((r) => `${r.id} ${r.status}`), ['a-first finished', 'b-second finished', `${running.id} killed`]);
  assert.equal(runs[2]!.lastSeen, seen);
  assert.equal(runs[2]!.command, 'train');
  const text = await runCli(['runs'], home);
  const row = text.stdout.match(/^(\S+) +\d\d-\d\d \d\d:\d\d +train +.*\bkilled$/m);
  assert.ok(row && running.id.endsWith(row[1]!), `the table shows the new status on the run's row:\n${text.stdout}`);
});
