// Writes that a kill -9 cannot leave half done: build beside the target, then rename over it.
//
// Replacing a folder takes two renames (the old one away, the new one in), and no file system
// offers one atomic call for that. A kill between them would leave the target missing. So the
// swap is journalled: once the new folder is complete and on disk, a small journal naming the
// three folders (target, new, old) is written atomically and fsynced; only then do the renames
// start. The journal is the commit point. If the writer dies at any later moment, the next
// command that looks at that folder finds the journal, sees from which of the three folders still
// exist how far the swap got, and rolls it forward to the new version (see interrupted-writes.ts).
// Before the journal exists nothing has been renamed, so the old version is still in place and
// only a partial folder is left, which is simply removed. Rolling forward rather than back means
// every state after the commit point leads to the same end, with no need to know where the kill
// fell.
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { killPoint } from './kill-point.js';

/** What a hidden sibling holds: a write in progress, a replaced version, or a swap journal. */
export type SiblingTag = 'partial' | 'old' | 'swap';

export interface SiblingName {
  /** The name of the target this sibling belongs to. */
  target: string;
  tag: SiblingTag;
  /** The process that made it; a sibling whose process is gone is a leftover. */
  pid: number;
}

const SIBLING = /^\.(.+)\.(partial|old|swap)-(\d+)-[0-9a-f]{8}$/;

export function siblingName(target: string, tag: SiblingTag): string {
  return join(dirname(target), `.${basename(target)}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

export function parseSiblingName(name: string): SiblingName | null {
  const m = SIBLING.exec(name);
  return m ? { target: m[1]!, tag: m[2] as SiblingTag, pid: Number(m[3]) } : null;
}

/** The journal of a folder swap; names are relative to the folder holding all three. */
export interface SwapJournal {
  target: string;
  partial: string;
  old: string;
}

/** Flushes a file or folder to disk, so a rename that follows never outruns its content. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes and fsyncs one file (not atomic by itself: use inside a folder that is swapped in). */
export async function writeFileDurably(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = siblingName(path, 'partial');
  await writeFileDurably(tmp, data);
  await rename(tmp, path);
  await fsyncPath(dirname(path));
}

export interface DirWriteOptions {
  /** Runs after the new folder is complete and before anything at `target` changes; may throw to stop the swap. */
  beforeSwap?: () => Promise<void>;
  /** Names this write's kill points (`<label>:after-fill`, …), so a test can stop one kind of write and not another. Default `save`. */
  label?: string;
}

/**
 * Fills a fresh sibling folder through `fill`, then swaps it in for `target` under a journal.
 * A folder already at `target` stays intact until the new one is complete, and a kill at any
 * point leaves either it or the new one recoverable at `target`. `fill` should write its files
 * with writeFileDurably when they must survive a power cut, not just a kill.
 */
export async function writeDirAtomically(target: string, fill: (dir: string) => Promise<void>, options: DirWriteOptions = {}): Promise<void> {
  const at = (step: string) => killPoint(`${options.label ?? 'save'}:${step}`);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const partial = siblingName(target, 'partial');
  await mkdir(partial);
  try {
    await fill(partial);
    at('after-fill');
    await fsyncPath(partial);
    await options.beforeSwap?.();
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
  const old = siblingName(target, 'old');
  const journal = siblingName(target, 'swap');
  const entry: SwapJournal = { target: basename(target), partial: basename(partial), old: basename(old) };
  await writeFileAtomically(journal, JSON.stringify(entry));
  at('after-journal');
  let hadOld = false;
  try {
    hadOld = await rename(target, old).then(() => true, (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    });
    at('between-renames');
    await rename(partial, target);
  } catch (err) {
    // A rename refused while this process is alive (permissions, a busy mount): put back what
    // was there and drop the journal, so no later command rolls forward a swap that failed.
    if (hadOld) await rename(old, target);
    await rm(journal, { force: true });
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
  await fsyncPath(parent);
  at('after-renames');
  if (hadOld) await rm(old, { recursive: true, force: true });
  at('before-journal-removal');
  await rm(journal, { force: true });
}
