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
import type { ModelRecord } from './model-record.js';
import type { RunRecord, StoreData } from './run-record.js';
import { StoreFile } from './store-file.js';
import { withStoreLock } from './store-lock.js';

export type { EpochRecord, RunRecord, RunStatus, StoreData } from './run-record.js';
export type { ModelFileRecord, ModelRecord } from './model-record.js';

export function calibraHome(): string {
  return process.env.CALIBRA_HOME || join(homedir(), '.calibra');
}

export class RunStore {
  readonly file: string;
  constructor(home = calibraHome()) {
    this.file = join(home, 'runs.json');
  }

  /** Reads the store, applies `change` to it if given, and writes it back if anything changed. */
  private async access(change?: (runs: RunRecord[], data: StoreData) => void): Promise<StoreData> {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      return await withStoreLock(this.file, () => {
        const db = new LowSync<StoreData>(new StoreFile(this.file), { version: 1, runs: [] });
        db.read();
        const killed = markDeadRunsKilled(db.data.runs, processGone);
        change?.(db.data.runs, db.data);
        if (killed > 0 || change) db.write();
        return db.data;
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
    return (await this.access()).runs;
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

  /** Registered models, in the order they were registered. */
  async models(): Promise<ModelRecord[]> {
    return (await this.access()).models ?? [];
  }

  async findModel(name: string): Promise<ModelRecord | null> {
    return (await this.models()).find((m) => m.name === name) ?? null;
  }

  /**
   * Registers a model; one already registered under its name is replaced only with `overwrite`,
   * decided under the lock so two registrations of one name cannot both win.
   */
  async registerModel(record: ModelRecord, overwrite: boolean): Promise<void> {
    await this.access((_runs, data) => {
      const models = (data.models ??= []);
      const at = models.findIndex((m) => m.name === record.name);
      if (at >= 0 && !overwrite) throw new InputError(`${record.name}: a model of that name is already registered (${models[at]!.path}); --overwrite replaces it`);
      if (at >= 0) models[at] = record;
      else models.push(record);
    });
  }
}
