// What crosses between the run API and a worker thread running steps: plain data only, so a
// UI's thread never shares tensors or handles with the one that trains.
import type { StampedEvent } from '../events/run-events.js';
import type { StepOutcome } from '../workflows/runner.js';
import type { Step } from '../workflows/schema.js';
import { InputError } from '../errors.js';

export interface WorkerInput {
  steps: Step[];
  backend?: string;
}

export type ToWorker = { type: 'abort'; reason: string };

export interface SentError {
  name: string;
  message: string;
  stack?: string;
}

export type FromWorker =
  | { type: 'event'; event: StampedEvent }
  | { type: 'log'; line: string }
  | { type: 'done'; outcomes: StepOutcome[] }
  | { type: 'failed'; error: SentError };

export function sendError(err: unknown): SentError {
  return err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : { name: 'Error', message: String(err) };
}

/** The error as the caller would have seen it in-process: bad input stays an InputError (exit 2). */
export function receiveError(sent: SentError): Error {
  if (sent.name === 'InputError') return new InputError(sent.message);
  const err = new Error(sent.message);
  err.name = sent.name;
  if (sent.stack) err.stack = sent.stack;
  return err;
}
