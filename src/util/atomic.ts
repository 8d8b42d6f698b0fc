// Writes that a kill -9 cannot leave half done: build beside the target, then rename over it.
import { mkdir, rename, rm, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

function siblingName(target: string, tag: string): string {
  return join(dirname(target), `.${basename(target)}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = siblingName(path, 'partial');
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/**
 * Fills a fresh sibling folder through `fill`, then swaps it in for `target`. A folder already at
 * `target` stays intact until the new one is complete.
 */
export async function writeDirAtomically(target: string, fill: (dir: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = siblingName(target, 'partial');
  await mkdir(tmp);
  try {
    await fill(tmp);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const old = siblingName(target, 'old');
  const hadOld = await rename(target, old).then(() => true, () => false);
  await rename(tmp, target);
  if (hadOld) await rm(old, { recursive: true, force: true });
}

