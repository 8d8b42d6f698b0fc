// Worker-thread entry that loads a model and posts its summary, so a screen that asks about a
// model never blocks its own event loop on building one. Only loads weights, so the cpu
// backend does; the native addon stays in the thread that trains.
import { parentPort, workerData } from 'node:worker_threads';
import { initEngine } from '../engine/backend.js';
import { InputError } from '../errors.js';
import { describeLayers } from './layer-walk.js';
import { loadModel } from './model-io.js';
import { summariseModel } from './model-summary.js';

const { ref } = workerData as { ref: string };
try {
  await initEngine('cpu');
  const { model, manifest, path } = await loadModel(ref);
  const layers = describeLayers(model);
  model.dispose();
  parentPort!.postMessage({ ok: true, summary: summariseModel(manifest, layers, path) });
} catch (err) {
  parentPort!.postMessage({ ok: false, input: err instanceof InputError, message: err instanceof Error ? err.message : String(err) });
}
