// No leftover lock wedges the store: whatever a killed process left at runs.json.lock, the next
// command takes it over, records, and removes it. The old design waited 15 s on each of these
// and then ran without recording; here the command must finish, record, and leave no lock.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deadPid, finishedRun, newHome, orphanRun, readStore, runCli, writeStore } from './store-fixtures.js';

const leftovers: [string, (lock: string) => Promise<void>][] = [
  ['an empty lock file (killed between creating it and writing its pid)', (lock) => writeFile(lock, '')],
  ['an empty lock file from an hour ago', async (lock) => {
    await writeFile(lock, '');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(lock, hourAgo, hourAgo);
  }],
  ['a lock file holding a dead pid', (lock) => writeFile(lock, String(deadPid()))],
  ['a lock folder of a writer killed while holding it', (lock) => mkdir(lock)],
];

for (const [what, leave] of leftovers) {
  test(`${what} is taken over: the next command records and removes it`, async () => {
    const home = await newHome();
    await writeStore(home, [finishedRun('earlier', '2026-01-01T00:00:00.000Z'), orphanRun('orphan', '2026-01-02T00:00:00.000Z', '2026-01-02T00:01:00.000Z')]);
    const lock = join(home, 'runs.json.lock');
    await leave(lock);
    const started = Date.now();
    const r = await runCli(['runs', 'list', '--json'], home);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(lock), false, 'the lock is gone');
    assert.deepEqual(readStore(home)!.runs.map((run) => `${run.id} ${run.status}`), ['earlier finished', 'orphan killed'], 'and the store was written');
    assert.ok(seconds < 12, `took ${seconds} s; the old design waited 15 s`);
  });
}
