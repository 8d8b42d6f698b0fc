// A model's summary from a worker thread: loading a large model takes seconds of synchronous
// work that would otherwise freeze whatever is drawing the screen.
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import type { ModelSummary } from './model-summary.js';

type Reply = { ok: true; summary: ModelSummary } | { ok: false; input: boolean; message: string };

/** `ref` is a zoo id or a model.json or its folder; a bad reference rejects with an InputError. */
export function describeModel(ref: string): Promise<ModelSummary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./summary-worker.js', import.meta.url), { workerData: { ref } });
    worker.once('message', (reply: Reply) => {
      void worker.terminate();
      if (reply.ok) resolve(reply.summary);
      else reject(reply.input ? new InputError(reply.message) : new Error(reply.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`loading ${ref} stopped (worker exit ${code})`)));
  });
}
