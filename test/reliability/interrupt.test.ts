// Ctrl+C (SIGINT) and SIGTERM during a train: the run stops after the current optimizer step, is
// recorded as stopped, nothing is written to --out, and the exit code is 130. A second one quits
// at once, even while the store is busy, and leaves the store whole.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, rmdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { finishedRun, newHome, readStore, runCli, startCli, waitForStatus, writeStore } from './store-fixtures.js';

async function trainingHome(): Promise<{ home: string; args: string[]; out: string }> {
  const home = await newHome();
  await writeStore(home, [finishedRun('earlier', '2026-01-01T00:00:00.000Z')]);
  const data = join(home, 'data');
  const synth = await runCli(['data', 'synth', '--domain', 'clean', '--out', data, '--per-class', '2', '--json'], home);
  assert.equal(synth.code, 0, synth.stderr);
  const out = join(home, 'model');
  return { home, out, args: ['train', '--model', 'digits-resnet', '--data', data, '--out', out, '--steps', '100000', '--batch', '2', '--json'] };
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} during train stops it after the current step: recorded as stopped, nothing saved, exit 130`, async () => {
    const { home, out, args } = await trainingHome();
    const train = startCli(args, home);
    const running = await waitForStatus(home, 'running', train);
    train.child.kill(signal);
    const exit = await train.exited;
    assert.equal(exit.code, 130, exit.stderr);
    assert.match(exit.stderr, new RegExp(`${signal}: stopping the run after the current step`));
    assert.deepEqual(exit.json, { error: `stopped by ${signal}`, exitCode: 130, runId: running.id });
    assert.equal(existsSync(out), false, 'a stopped train does not save');
    const runs = readStore(home)!.runs;
    assert.deepEqual(runs.map((r) => `${r.id} ${r.status}`), ['earlier finished', `${running.id} stopped`]);
    assert.ok(runs[1]!.epochs.length >= 1, 'the epoch it stopped in is kept');
    assert.equal(existsSync(join(home, 'runs.json.lock')), false);
  });
}

test('a second Ctrl+C quits at once, without waiting for a busy store, and leaves it whole', async () => {
  const { home, out, args } = await trainingHome();
  const train = startCli(args, home);
  const running = await waitForStatus(home, 'running', train);
  // Hold the store's lock, kept fresh so it never looks stale: recording the stop has to wait.
  const lock = join(home, 'runs.json.lock');
  // The run holds the lock for a moment at each write; take it between two of them.
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  const keepFresh = setInterval(() => void utimes(lock, new Date(), new Date()), 300);
  try {
    train.child.kill('SIGINT');
    await train.stderrMatches(/SIGINT: stopping the run/);
    train.child.kill('SIGINT');
    const exit = await train.exited;
    assert.equal(exit.code, 130, exit.stderr);
    assert.match(exit.stderr, /calibra: SIGINT again: quitting now/);
    assert.equal(existsSync(lock), true, 'it quit while the lock was still held by another');
  } finally {
    clearInterval(keepFresh);
    await rmdir(lock);
  }
  assert.equal(existsSync(out), false);
  const list = await runCli(['runs', 'list', '--json'], home);
  assert.equal(list.code, 0, list.stderr);
  const runs = list.json!.runs as { id: string; status: string }[];
  assert.deepEqual(runs.map((r) => `${r.id} ${r.status}`), ['earlier finished', `${running.id} killed`], 'whole, and the run it quit is settled');
});
