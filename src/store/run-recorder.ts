// The store's subscriber: it listens to the run-event stream and, when a run ends, turns what it
// heard into one record. It never touches the run itself.
import { randomBytes } from 'node:crypto';
import type { EventSink, RunEvent } from '../events/run-events.js';
import type { EpochRecord, RunRecord, RunStore } from './run-store.js';

function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export interface RunRecorder {
  sink: EventSink;
  /** Writes every run that has ended since the last flush; returns their ids. */
  flush(): Promise<string[]>;
}

export function createRunRecorder(store: RunStore): RunRecorder {
  let current: { record: RunRecord; started: number } | null = null;
  const ended: RunRecord[] = [];
  const finish = (status: RunRecord['status'], result: Record<string, unknown> | null, error: string | null) => {
    if (!current) return;
    const { record, started } = current;
    record.status = status;
    record.result = result;
    record.error = error;
    record.finishedAt = new Date().toISOString();
    record.seconds = Number(((performance.now() - started) / 1000).toFixed(2));
    ended.push(record);
    current = null;
  };
  const sink = (e: RunEvent) => {
    switch (e.type) {
      case 'RunStarted': {
        const now = new Date();
        const config = e.config;
        current = {
          started: performance.now(),
          record: {
            id: newRunId(now), command: e.command, status: 'failed', startedAt: now.toISOString(), finishedAt: '', seconds: 0,
            backend: e.backend, config, epochs: [], result: null, error: null,
            lineage: { parentModel: (config.parent as string) ?? null, dataset: null, outputModel: null },
          },
        };
        break;
      }
      case 'EpochEnded':
        current?.record.epochs.push({ epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, imagesPerSecond: e.imagesPerSecond });
        break;
      case 'ValidationEnded': {
        const epoch = current?.record.epochs.find((r: EpochRecord) => r.epoch === e.epoch);
        if (epoch) epoch.valAccuracy = e.accuracy;
        break;
      }
      case 'CheckpointSaved':
        if (current) current.record.lineage.outputModel = e.contentHash;
        break;
      case 'RunFinished':
        if (current) current.record.lineage.dataset = (e.result.dataset as string) ?? current.record.lineage.dataset;
        finish('finished', e.result, null);
        break;
      case 'RunFailed':
        finish('failed', null, e.error);
        break;
      default:
        break;
    }
  };
  return {
    sink,
    async flush() {
      const records = ended.splice(0);
      for (const r of records) await store.add(r);
      return records.map((r) => r.id);
    },
  };
}
