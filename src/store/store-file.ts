// The store's file on disk, as a lowdb sync adapter. A read refuses a file that is not a valid
// store and says how to recover. A write never leaves a torn file: the new state goes to a temp
// file (fsynced), the state it replaces is kept as `<file>.bak`, then a rename swaps the new one
// in. A kill at any step leaves the old state or the new one. The caller holds the store lock.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SyncAdapter } from 'lowdb';
import { InputError } from '../errors.js';
import { killPoint } from '../util/kill-point.js';
import { pidAlive } from './process-identity.js';
import { storeProblem, type StoreData } from './run-record.js';

export class StoreCorruptError extends InputError {}

function problemWith(text: string): string | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  return storeProblem(raw);
}

function remedy(file: string, backup: string): string {
  const backupGood = existsSync(backup) && problemWith(readFileSync(backup, 'utf8')) === null;
  return backupGood
    ? `The last good copy is ${backup}; restore it with: cp '${backup}' '${file}'`
    : `Move it aside to start an empty store: mv '${file}' '${file}.broken'`;
}

function writeDurably(path: string, text: string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const tempName = (path: string, pid: number) => `${path}.${pid}.tmp`;

/** Temp files of writers that were killed before their rename; only the lock holder calls this. */
function removeLeftovers(file: string): void {
  const pattern = new RegExp(`^${basename(file).replace(/[.]/g, '\\.')}(?:\\.bak)?\\.(\\d+)\\.tmp$`);
  for (const name of readdirSync(dirname(file))) {
    const pid = pattern.exec(name)?.[1];
    if (pid !== undefined && !pidAlive(Number(pid))) unlinkSync(join(dirname(file), name));
  }
}

export class StoreFile implements SyncAdapter<StoreData> {
  readonly backup: string;
  /** The text last read: it becomes the backup when the next write replaces it. */
  private previous: string | null = null;

  constructor(readonly file: string) {
    this.backup = `${file}.bak`;
  }

  read(): StoreData | null {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.previous = null;
      return null;
    }
    const problem = problemWith(text);
    if (problem !== null) throw new StoreCorruptError(`${this.file}: ${problem}. ${remedy(this.file, this.backup)} (or pass --no-record)`);
    this.previous = text;
    return JSON.parse(text) as StoreData;
  }

  write(data: StoreData): void {
    const text = `${JSON.stringify(data, null, 2)}\n`;
    const temp = tempName(this.file, process.pid);
    writeDurably(temp, text);
    killPoint('store-temp-written');
    if (this.previous !== null) {
      const backupTemp = tempName(this.backup, process.pid);
      writeDurably(backupTemp, this.previous);
      renameSync(backupTemp, this.backup);
    }
    killPoint('store-backed-up');
    renameSync(temp, this.file);
    this.previous = text;
    killPoint('store-renamed');
    removeLeftovers(this.file);
  }
}
