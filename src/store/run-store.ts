// Every run Calibra makes, kept in a lowdb JSON file under CALIBRA_HOME (default ~/.calibra).
// lowdb writes through a temp file and a rename, so a kill -9 never leaves a torn file; the
// lock makes read-modify-write safe between processes.
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { withFileLock } from './file-lock.js';

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
  valAccuracy?: number;
}

export interface RunRecord {
  id: string;
  command: string;
  status: 'finished' | 'failed';
  startedAt: string;
  finishedAt: string;
  seconds: number;
  backend: string;
  config: Record<string, unknown>;
  epochs: EpochRecord[];
  result: Record<string, unknown> | null;
  error: string | null;
  lineage: { parentModel: string | null; dataset: string | null; outputModel: string | null };
}

export interface StoreData {
  version: 1;
  runs: RunRecord[];
}

export function calibraHome(): string {
  return process.env.CALIBRA_HOME ?? join(homedir(), '.calibra');
}

export class RunStore {
  readonly file: string;
  constructor(home = calibraHome()) {
    this.file = join(home, 'runs.json');
  }

  private async db(): Promise<Low<StoreData>> {
    const db = new Low<StoreData>(new JSONFile(this.file), { version: 1, runs: [] });
    await db.read();
    return db;
  }

  async add(run: RunRecord): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await withFileLock(this.file, async () => {
      const db = await this.db();
      db.data.runs.push(run);
      await db.write();
    });
  }

  async list(): Promise<RunRecord[]> {
    return (await this.db()).data.runs;
  }

  /** By full id or a unique prefix of it. */
  async find(idOrPrefix: string): Promise<RunRecord[]> {
    return (await this.list()).filter((r) => r.id === idOrPrefix || r.id.startsWith(idOrPrefix));
  }
}
