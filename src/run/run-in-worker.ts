// Runs a request's steps in a worker thread, so the thread that called (a terminal UI) keeps
// drawing and reading keys while a step holds its own thread for seconds at a time. The events
// arrive as they happen; an abort is forwarded; the worker is ended once it has answered.
import { Worker } from 'node:worker_threads';
import type { StampedSink } from '../events/run-events.js';
import type { StepOutcome } from '../workflows/runner.js';
import type { Step } from '../workflows/schema.js';
import { receiveError, type FromWorker, type ToWorker, type WorkerInput } from './worker-protocol.js';

export interface WorkerContext {
  backend?: string;
  signal?: AbortSignal;
  log: (line: string) => void;
  emit: StampedSink;
}

export function runInWorker(steps: readonly Step[], { backend, signal, log, emit }: WorkerContext): Promise<StepOutcome[]> {
  signal?.throwIfAborted();
  const input: WorkerInput = { steps: [...steps], ...(backend === undefined ? {} : { backend }) };
  const worker = new Worker(new URL('./run-worker.js', import.meta.url), { workerData: input });
  return new Promise<StepOutcome[]>((resolve, reject) => {
    let answered = false;
    const onAbort = () => {
      const reason = signal?.reason instanceof Error ? signal.reason.message : 'stopped';
      worker.postMessage({ type: 'abort', reason } satisfies ToWorker);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (fn: () => void) => {
      answered = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'event': emit(message.event); break;
        case 'log': log(message.line); break;
        case 'done': settle(() => resolve(message.outcomes)); break;
        case 'failed': settle(() => reject(receiveError(message.error))); break;
      }
    });
    worker.on('error', (err) => {
      if (!answered) settle(() => reject(err));
    });
    worker.on('exit', (code) => {
      if (!answered) settle(() => reject(new Error(`the run's worker thread exited with code ${code} before it finished`)));
    });
  });
}
