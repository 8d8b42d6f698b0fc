// The worker thread's side: runs the steps it was given with its own engine, and posts every
// event, log line and the outcome back. Stop requests arrive as messages and abort the steps
// exactly as Ctrl+C would in-process.
import { parentPort, workerData } from 'node:worker_threads';
import { engineStarter } from './engine-starter.js';
import { runHere } from './run-here.js';
import { sendError, type FromWorker, type ToWorker, type WorkerInput } from './worker-protocol.js';

const port = parentPort!;
const { steps, backend } = workerData as WorkerInput;
const post = (message: FromWorker) => port.postMessage(message);
const log = (line: string) => post({ type: 'log', line });
const stop = new AbortController();
port.on('message', (message: ToWorker) => {
  if (message.type === 'abort') stop.abort(new Error(message.reason));
});

runHere(steps, { engine: engineStarter(backend, log), signal: stop.signal, log, emit: (event) => post({ type: 'event', event }) })
  .then((outcomes) => post({ type: 'done', outcomes }), (err: unknown) => post({ type: 'failed', error: sendError(err) }));
