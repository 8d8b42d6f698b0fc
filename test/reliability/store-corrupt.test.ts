// A store file that is not a valid store stops every command that records runs, before it does
// any work: exit 2, naming the file and saying how to recover. --no-record bypasses the store.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finishedRun, newHome, orphanRun, runCli, writeStore } from './store-fixtures.js';

test('a store holding [] is exit 2 naming the file and how to start afresh, for runs and for eval alike', async () => {
  const home = await newHome();
  const file = join(home, 'runs.json');
  await writeFile(file, '[]');
  const list = await runCli(['runs', 'list', '--json'], home);
  assert.equal(list.code, 2, list.stderr);
  assert.equal(list.json!.exitCode, 2);
  assert.match(String(list.json!.error), new RegExp(`^${file}: not a Calibra run store .*mv '${file}' '${file}\\.broken'`));
  assert.doesNotMatch(list.stderr, /Cannot read properties/);
  const evaluation = await runCli(['eval', '--model', 'digits-resnet', '--data', join(home, 'no-such-folder')], home);
  assert.equal(evaluation.code, 2);
  assert.match(evaluation.stderr, new RegExp(`calibra: ${file}: not a Calibra run store`), 'the store is checked before --data');
});

test('a truncated store is exit 2 naming the file; the cp it suggests restores the last good copy', async () => {
  const home = await newHome();
  const file = await writeStore(home, [finishedRun('first', '2026-01-01T00:00:00.000Z'), orphanRun('orphan', '2026-01-02T00:00:00.000Z', '2026-01-02T00:05:00.000Z')]);
  const settled = await runCli(['runs', 'list', '--json'], home);
  assert.equal(settled.code, 0, settled.stderr);
  assert.deepEqual((settled.json!.runs as { status: string }[]).map((r) => r.status), ['finished', 'killed'], 'settling the orphan was a write, which kept a backup');
  const whole = await readFile(file, 'utf8');
  await writeFile(file, whole.slice(0, whole.length >> 1));
  const broken = await runCli(['runs', 'list', '--json'], home);
  assert.equal(broken.code, 2, broken.stderr);
  const message = String(broken.json!.error);
  assert.match(message, new RegExp(`^${file}: not valid JSON`));
  const cp = /cp '([^']+)' '([^']+)'/.exec(message);
  assert.ok(cp, message);
  assert.equal(cp[2], file);
  execFileSync('cp', [cp[1]!, cp[2]!]);
  const restored = await runCli(['runs', 'list', '--json'], home);
  assert.equal(restored.code, 0, restored.stderr);
  assert.deepEqual((restored.json!.runs as { id: string; status: string }[]).map((r) => `${r.id} ${r.status}`), ['first finished', 'orphan killed']);
});

test('--no-record runs a command without the store; without it, the same store stops it', async () => {
  const home = await newHome();
  await writeFile(join(home, 'runs.json'), '{"version":1,"runs":[{"id":"cut');
  const blocked = await runCli(['models', '--json'], home);
  assert.equal(blocked.code, 2);
  const free = await runCli(['models', '--json', '--no-record'], home);
  assert.equal(free.code, 0, free.stderr);
  assert.ok((free.json!.models as { id: string }[]).some((m) => m.id === 'digits-resnet'));
});

test('a store that cannot be written is exit 1 naming it, unless --no-record; the global help offers that flag', async () => {
  const parent = await newHome();
  await writeFile(join(parent, 'a-file'), '');
  const home = join(parent, 'a-file', 'home');
  const blocked = await runCli(['models', '--json'], home);
  assert.equal(blocked.code, 1, blocked.stderr);
  assert.ok(String(blocked.json!.error).startsWith(`${join(home, 'runs.json')}: cannot use the run store`), String(blocked.json!.error));
  const free = await runCli(['models', '--json', '--no-record'], home);
  assert.equal(free.code, 0, free.stderr);
  const help = await runCli(['--help'], home);
  assert.match(help.stdout, /^ {2}--no-record {2,}\S/m);
});
