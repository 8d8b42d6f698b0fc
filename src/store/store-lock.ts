// The store's inter-process lock: proper-lockfile's directory `<file>.lock`, taken and released
// synchronously around a synchronous read-modify-write. Nothing else can run in this process
// while the lock is held, so a Ctrl+C handler or a slow training step never sits inside it and a
// lock lives for milliseconds. One older than STALE_MS therefore belongs to a process that died
// holding it (kill -9, power loss) and is taken over.
import { lstatSync, readFileSync, unlinkSync } from 'node:fs';
import lockfile from 'proper-lockfile';
import { RunError } from '../errors.js';
import { killPoint } from '../util/kill-point.js';
import { pidAlive } from './process-identity.js';

export const STALE_MS = 3000;
const WAIT_MS = 15_000;

export function lockPath(file: string): string {
  return `${file}.lock`;
}

/**
 * Calibra before proper-lockfile locked with a *file* of that name holding the owner's pid, or
 * nothing when it died between creating and writing it. Such a file is removed once its owner is
 * gone or it is older than any live lock; otherwise it is honoured like a held lock.
 */
function clearLegacyLock(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isFile()) return;
  const pid = Number(readFileSync(path, 'utf8').trim());
  const ownerGone = Number.isInteger(pid) && pid > 0 && !pidAlive(pid);
  if (ownerGone || stat.mtimeMs < Date.now() - STALE_MS) unlinkSync(path);
}

/** The release function, or null while another process holds the lock. */
function tryLock(file: string): (() => void) | null {
  const path = lockPath(file);
  clearLegacyLock(path);
  try {
    return lockfile.lockSync(file, { lockfilePath: path, realpath: false, stale: STALE_MS });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOTDIR: a legacy lock file still in force (proper-lockfile only removes directories).
    if (code === 'ELOCKED' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/** Runs `change` while holding the lock, waiting (without blocking) for another holder to finish. */
export async function withStoreLock<T>(file: string, change: () => T): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    const release = tryLock(file);
    if (release) {
      try {
        killPoint('store-locked');
        return change();
      } finally {
        killPoint('store-before-unlock');
        release();
      }
    }
    if (Date.now() > deadline) {
      throw new RunError(`${lockPath(file)}: the run store stayed locked for ${WAIT_MS / 1000} s by a live process; if no calibra is running, remove that folder`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
