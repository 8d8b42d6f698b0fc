// Every run Calibra makes, kept in a lowdb JSON file under CALIBRA_HOME (default ~/.calibra).
// Each access reads, changes and rewrites the file under the store lock, in one synchronous
// stretch (see store-lock.ts), and settles runs whose process died without recording an end.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { LowSync } from 'lowdb';
import { InputError, RunError } from '../errors.js';
import { processGone } from './process-identity.js';
import { markDeadRunsKilled } from './reap.js';
import { matchRuns } from './run-ids.js';
import type { RunRecord, StoreData } from './run-record.js';
import { StoreFile } from './store-file.js';
import { withStoreLock } from './store-lock.js';

export type { EpochRecord, RunRecord, RunStatus, StoreData } from './run-record.js';

export function calibraHome(): string {
  return process.env.CALIBRA_HOME || join(homedir(), '.calibra');
}

export class RunStore {
  readonly file: string;
  constructor(home = calibraHome()) {
    this.file = join(home, 'runs.json');
  }

  /** Reads the runs, applies `change` to them if given, and writes them back if anything changed. */
  private async access(change?: (runs: RunRecord[]) => void): Promise<RunRecord[]> {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      return await withStoreLock(this.file, () => {
        const db = new LowSync<StoreData>(new StoreFile(this.file), { version: 1, runs: [] });
        db.read();
        const killed = markDeadRunsKilled(db.data.runs, processGone);
        change?.(db.data.runs);
        if (killed > 0 || change) db.write();
        return db.data.runs;
      });
    } catch (err) {
      if (err instanceof InputError || err instanceof RunError) throw err;
      throw new RunError(`${this.file}: cannot use the run store (${(err as Error).message})`);
    }
  }

  /** Checks that the store is readable and writable, and settles killed runs. */
  async open(): Promise<void> {
    await this.access();
  }

  /** Adds each run, or replaces the stored run with its id. */
  async put(...records: RunRecord[]): Promise<void> {
    await this.access((runs) => {
      for (const record of records) {
        const at = runs.findIndex((r) => r.id === record.id);
        if (at >= 0) runs[at] = record;
        else runs.push(record);
      }
    });
  }

  /** Oldest first. */
  async list(): Promise<RunRecord[]> {
    return this.access();
  }

  /** By full id, a prefix of it, or the short end of it that `runs list` shows (see run-ids.ts). */
  async find(query: string): Promise<RunRecord[]> {
    return matchRuns(await this.list(), query);
  }

  /** The one run `query` names; none, or several, is an InputError saying so (`what` is the command asking). */
  async findOne(query: string, what: string): Promise<RunRecord> {
    const matches = await this.find(query);
    if (matches.length === 0) throw new InputError(`${what} ${query}: no such run in ${this.file}`);
    if (matches.length > 1) throw new InputError(`${what} ${query}: ${matches.length} runs match; give more of the id`);
    return matches[0]!;
  }
}
