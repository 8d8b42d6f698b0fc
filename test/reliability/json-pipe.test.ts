// --json output larger than a pipe's 64 KiB buffer arrives whole: the process waits for stdout
// to drain before it exits. The reader sleeps longer than the command takes to start, so the
// buffer is full when the command finishes, which is when output used to be cut at 65,536 bytes.
// The command's stderr goes elsewhere, so stdout is the only pipe it waits on.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BIN, finishedRun, newHome, writeStore } from './store-fixtures.js';

function throughSlowPipe(args: string[], home: string): Promise<{ stdout: string; exitLine: string }> {
  const script = `{ "${process.execPath}" "${BIN}" "$@" 2>/dev/null; echo "exit $?" >&2; } | { sleep 3; cat; }`;
  const child = spawn('sh', ['-c', script, 'sh', ...args], { env: { ...process.env, CALIBRA_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', () => resolve({ stdout, exitLine: stderr.trim().split('\n').pop() ?? '' })));
}

test('runs list --json with a store over 64 KiB reaches a slow pipe whole, oldest run first', async () => {
  const home = await newHome();
  const runs = Array.from({ length: 400 }, (_, i) => finishedRun(`run-${String(i).padStart(3, '0')}`, new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), 'x'.repeat(200)));
  await writeStore(home, runs);
  const { stdout, exitLine } = await throughSlowPipe(['runs', 'list', '--json'], home);
  assert.equal(exitLine, 'exit 0');
  assert.ok(Buffer.byteLength(stdout) > 2 * 65536, `${Buffer.byteLength(stdout)} bytes: big enough to overflow the pipe`);
  const listed = JSON.parse(stdout) as { runs: { id: string; status: string }[] };
  assert.deepEqual(listed.runs.map((r) => r.id), runs.map((r) => r.id));
  assert.ok(listed.runs.every((r) => r.status === 'finished'));
});

test('an error\'s --json object over 64 KiB reaches a slow pipe whole, with exit code 2', async () => {
  const home = await newHome();
  await writeStore(home, [finishedRun('only-run', '2026-01-01T00:00:00.000Z')]);
  const id = `no-such-run-${'y'.repeat(100_000)}`;
  const { stdout, exitLine } = await throughSlowPipe(['runs', 'show', id, '--json'], home);
  assert.equal(exitLine, 'exit 2');
  assert.ok(Buffer.byteLength(stdout) > 65536);
  const error = JSON.parse(stdout) as { error: string; exitCode: number };
  assert.equal(error.exitCode, 2);
  assert.ok(error.error.includes(id), 'the whole message, id and all');
});
