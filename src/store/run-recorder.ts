// The store's subscriber: it listens to the run-event stream and keeps each run's record in the
// store from its start. A run is written `running` (with its process and a lastSeen time) when it
// starts, then with its progress so far (epochs, lastSeen) at most every HEARTBEAT_MS while
// events arrive, and finally with its end.
// Writes happen in the background, one at a time, always of the newest state; the recorder never
// touches the run, and a store that fails is reported by flush(), not by the event stream.
import type { RunEvent } from '../events/run-events.js';
import { currentProcess } from './process-identity.js';
import { newRunId } from './run-id.js';
import type { RunRecord, RunStatus, RunStore } from './run-store.js';

const HEARTBEAT_MS = 5000;

export interface RunRecorder {
  /** Takes stamped events (the run API's); a plain event gets a new run id. */
  sink: (e: RunEvent & { runId?: string | null }) => void;
  /**
   * Waits until every record is written; returns the ids of the runs that ended since the last
   * call. Throws the store's error if a write failed: a run that could not be recorded.
   */
  flush(): Promise<string[]>;
}

export interface RecorderOptions {
  /** Whether the person asked to stop (Ctrl+C): a run that then fails was stopped. */
  interrupted: () => boolean;
  heartbeatMs?: number;
}

export function createRunRecorder(store: RunStore, options: RecorderOptions): RunRecorder {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  let current: { record: RunRecord; started: number } | null = null;
  const ended: string[] = [];
  const dirty = new Set<RunRecord>();
  let writing: Promise<void> = Promise.resolve();
  let lastWrite = 0;
  let failure: Error | null = null;

  const drain = async () => {
    while (dirty.size > 0 && failure === null) {
      const records = [...dirty].map((r) => structuredClone(r));
      dirty.clear();
      await store.put(...records).catch((err: Error) => {
        failure = err;
      });
    }
  };
  const save = (record: RunRecord) => {
    lastWrite = Date.now();
    const idle = dirty.size === 0;
    dirty.add(record);
    if (idle) writing = writing.then(drain);
  };
  const finish = (status: RunStatus, result: Record<string, unknown> | null, error: string | null) => {
    if (!current) return;
    const { record, started } = current;
    Object.assign(record, { status, result, error, finishedAt: new Date().toISOString(), seconds: Number(((performance.now() - started) / 1000).toFixed(2)) });
    record.lastSeen = record.finishedAt;
    ended.push(record.id);
    current = null;
    save(record);
  };
  const sink = (e: RunEvent & { runId?: string | null }) => {
    if (e.type === 'RunStarted') {
      const now = new Date();
      const config = e.config;
      current = {
        started: performance.now(),
        record: {
          id: e.runId ?? newRunId(now), command: e.command, status: 'running', startedAt: now.toISOString(), finishedAt: '', seconds: 0,
          backend: e.backend, config, epochs: [], result: null, error: null,
          lineage: {
            parentModel: (config.parent as string) ?? null, dataset: null, outputModel: null,
            ...(typeof config.resume === 'string' ? { resumedFrom: config.resume } : {}),
          },
          process: currentProcess(), lastSeen: now.toISOString(),
        },
      };
      save(current.record);
      return;
    }
    if (!current) return;
    const { record } = current;
    record.lastSeen = new Date().toISOString();
    switch (e.type) {
      case 'EpochEnded':
        record.epochs.push({ epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, imagesPerSecond: e.imagesPerSecond, images: e.images, seconds: e.seconds });
        break;
      case 'ValidationEnded': {
        const epoch = record.epochs.find((r) => r.epoch === e.epoch);
        if (epoch) epoch.valAccuracy = e.accuracy;
        break;
      }
      case 'CheckpointSaved':
        record.lineage.outputModel = e.contentHash;
        break;
      case 'RunFinished':
        record.lineage.dataset = (e.result.dataset as string) ?? record.lineage.dataset;
        return finish('finished', e.result, null);
      case 'RunFailed':
        return finish(options.interrupted() ? 'stopped' : 'failed', null, e.error);
      default:
        break;
    }
    if (Date.now() - lastWrite >= heartbeatMs) save(record);
  };
  return {
    sink,
    async flush() {
      for (let settled = writing; ; settled = writing) {
        await settled;
        if (settled === writing) break;
      }
      if (failure) throw failure;
      return ended.splice(0);
    },
  };
}
