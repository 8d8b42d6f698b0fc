import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDownload } from '../../src/zoo/download-lock.js';
import { RunError } from '../../src/errors.js';
import { deadPid } from '../reliability/store-fixtures.js';

const newDir = () => mkdtempSync(join(tmpdir(), 'calibra-dl-lock-'));

test('a lock held by a live process refuses a second pull, naming that process', async () => {
  const dir = newDir();
  writeFileSync(join(dir, 'pull.lock'), String(process.ppid));
  await assert.rejects(lockDownload(dir, 'm'), (e: Error) => e instanceof RunError && e.message === `models pull m: another calibra (pid ${process.ppid}) is pulling it now; wait for it to finish`);
});

test('a lock left by a killed pull is taken over at once, and released', async () => {
  const dir = newDir();
  writeFileSync(join(dir, 'pull.lock'), String(deadPid()));
  const release = await lockDownload(dir, 'm');
  assert.equal(readFileSync(join(dir, 'pull.lock'), 'utf8'), String(process.pid));
  await release();
  assert.equal(existsSync(join(dir, 'pull.lock')), false);
});
