// An inter-process lock beside a file: created with O_EXCL, holding the owner's pid. A lock
// whose owner is gone (killed mid-write) is taken over.
import { open, readFile, unlink } from 'node:fs/promises';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryAcquire(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = Number(await readFile(lockPath, 'utf8').catch(() => ''));
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) await unlink(lockPath).catch(() => undefined);
    return false;
  }
}

export async function withFileLock<T>(target: string, fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const lockPath = `${target}.lock`;
  const deadline = Date.now() + timeoutMs;
  let wait = 5;
  while (!(await tryAcquire(lockPath))) {
    if (Date.now() > deadline) throw new Error(`${lockPath}: still locked after ${timeoutMs / 1000} s (remove it if no calibra is running)`);
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 200);
  }
  try {
    return await fn();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
