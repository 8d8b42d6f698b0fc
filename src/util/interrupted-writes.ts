// Finishes what a killed writer left in a folder: journalled swaps are rolled forward (the
// journal is written only once the new version is complete, see atomic.ts), and partial writes
// of processes that are gone are removed. Siblings of a live process are never touched, so a
// command running beside another one cannot pull a save out from under it.
import { readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseSiblingName, siblingName, type SiblingName, type SwapJournal } from './atomic.js';

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, (err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return false;
    throw err;
  });
}

function parseJournal(text: string): SwapJournal | null {
  try {
    const j = JSON.parse(text) as Partial<SwapJournal>;
    const plain = (s: unknown) => typeof s === 'string' && s.length > 0 && !s.includes('/') && s !== '..';
    return plain(j.target) && plain(j.partial) && plain(j.old) ? (j as SwapJournal) : null;
  } catch {
    return null;
  }
}

/** Brings one swap to its end state from wherever its writer stopped; returns what it did. */
async function rollForward(folder: string, j: SwapJournal): Promise<string> {
  const [target, partial, old] = [join(folder, j.target), join(folder, j.partial), join(folder, j.old)];
  if (await exists(partial)) {
    if (await exists(target)) {
      if (await exists(old)) return `cannot finish the interrupted replace of ${target}: ${j.old} and ${j.partial} are both still there; keep one by hand`;
      await rename(target, old);
    }
    await rename(partial, target);
    await rm(old, { recursive: true, force: true });
    return `finished an interrupted save: ${target} now holds the new version`;
  }
  if (await exists(target)) {
    await rm(old, { recursive: true, force: true });
    return `finished an interrupted save: ${target} holds the new version; removed the old one`;
  }
  if (await exists(old)) {
    await rename(old, target);
    return `rolled back an interrupted save: ${target} holds the previous version again`;
  }
  return `an interrupted save of ${target} left nothing to recover`;
}

/**
 * Recovers every interrupted write of a dead process directly inside `folder`. Returns one line
 * per action taken, for the caller to show; an absent folder has nothing to recover.
 */
export async function recoverInterrupted(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [] as string[];
    throw err;
  });
  const siblings = names.map((name) => ({ name, info: parseSiblingName(name) })).filter((s): s is { name: string; info: SiblingName } => s.info !== null);
  const notes: string[] = [];
  // Folders named by any journal, live or not, belong to a swap and are never swept as leftovers.
  const claimed = new Set<string>();
  let journalsComplete = true;
  for (const s of siblings.filter((x) => x.info.tag === 'swap')) {
    const text = await readFile(join(folder, s.name), 'utf8').catch(() => null);
    const journal = text === null ? null : parseJournal(text);
    if (journal === null) {
      // Gone (another process claimed it) or unreadable: which folders it names is unknown.
      journalsComplete = false;
      if (text !== null) notes.push(`warning: ${join(folder, s.name)} is not a readable swap journal; left as it is`);
      continue;
    }
    claimed.add(journal.partial).add(journal.old);
    if (isAlive(s.info.pid)) continue;
    // Renaming the journal to this process's name claims it: of two recovering processes only
    // one rename succeeds, and if this one dies too, the journal is there for the next.
    const mine = siblingName(join(folder, journal.target), 'swap');
    if (!(await rename(join(folder, s.name), mine).then(() => true, () => false))) continue;
    notes.push(`${await rollForward(folder, journal)} (its writer, process ${s.info.pid}, was killed)`);
    await rm(mine, { force: true });
  }
  if (!journalsComplete) return notes;
  for (const s of siblings.filter((x) => x.info.tag !== 'swap' && !claimed.has(x.name) && !isAlive(x.info.pid))) {
    const path = join(folder, s.name);
    const target = join(folder, s.info.target);
    if (s.info.tag === 'old' && !(await exists(target))) {
      // Only a writer without a journal (an older Calibra) leaves a replaced version unclaimed.
      await rename(path, target);
      notes.push(`restored ${target} from ${s.name}, left by a killed process ${s.info.pid}`);
      continue;
    }
    await rm(path, { recursive: true, force: true });
    notes.push(`removed ${path}, a ${s.info.tag === 'old' ? 'replaced version' : 'partial write'} left by a killed process ${s.info.pid}`);
  }
  return notes;
}

/** Recovers the folder holding `path`, where an interrupted write of `path` would have left its traces. */
export async function recoverBeside(path: string, log?: (line: string) => void): Promise<void> {
  for (const note of await recoverInterrupted(dirname(resolve(path)))) log?.(note);
}
