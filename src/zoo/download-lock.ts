// One pull per model at a time: two processes appending to the same partial files would
// interleave their bytes. The lock is a file holding the owner's pid, created exclusively; one
// whose owner is gone (a killed pull) is taken over at once, so resuming never waits.
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RunError } from '../errors.js';
import { pidAlive } from '../store/process-identity.js';

const LOCK = 'pull.lock';

/** Takes the lock of a download folder; returns its release. */
export async function lockDownload(dir: string, name: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && pidAlive(owner)) {
      throw new RunError(`models pull ${name}: another calibra (pid ${owner}) is pulling it now; wait for it to finish`);
    }
    await rm(path, { force: true });
  }
  throw new RunError(`models pull ${name}: cannot take the lock ${path}`);
}
