// The one way to run work in Calibra. The CLI and the TUI both hand it steps (a command's one
// step, or a preset's list), an AbortSignal and an event subscriber; it starts the engine, records
// each run in the store with its event log, runs the steps here or in a worker thread, and returns
// the outcomes. Neither client reaches into a step.
import { fanOut, type StampedEvent, type StampedSink } from '../events/run-events.js';
import { RunStore, calibraHome } from '../store/run-store.js';
import { createRunRecorder } from '../store/run-recorder.js';
import type { StepOutcome } from '../workflows/runner.js';
import type { Step } from '../workflows/schema.js';
import { engineStarter } from './engine-starter.js';
import { eventLogWriter, readEventLog } from './event-log.js';
import { runHere } from './run-here.js';
import { runInWorker } from './run-in-worker.js';

export interface RunRequest {
  /** What `calibra run` executes: a preset's steps, or the single step of a command. */
  steps: Step[];
  /** The engine to use; CALIBRA_BACKEND or the fastest that loads when absent. */
  backend?: string;
  /** Record each run and its events under CALIBRA_HOME (default true). */
  record?: boolean;
  /** Run the steps in a worker thread, so the caller's thread stays free (default false). */
  inWorker?: boolean;
}

export interface RunHooks {
  /** Aborting it stops the current step at its next safe point (train: checkpoint first); no further step starts. */
  signal?: AbortSignal;
  /** Every event, stamped; a subscriber that throws cannot stop the run. */
  onEvent?: StampedSink;
  /** Notes for a person: the backend chosen, warnings, choices made. */
  log?: (line: string) => void;
  /** The ids of the runs that reached the store, once they have; called whether the steps succeeded or not. */
  onRecorded?: (runIds: string[]) => void;
}

export interface RunResult {
  outcomes: StepOutcome[];
  runIds: string[];
}

/**
 * Runs the request's steps in order. Rejects with the first step's error (an InputError for bad
 * input), or, once the signal has aborted, with the interruption; the runs are recorded either way.
 */
export async function executeRun(request: RunRequest, hooks: RunHooks = {}): Promise<RunResult> {
  const log = hooks.log ?? (() => {});
  const { signal } = hooks;
  const home = calibraHome();
  const store = request.record === false ? null : new RunStore(home);
  const recorder = store ? createRunRecorder(store, { interrupted: () => signal?.aborted === true }) : null;
  // Opened before any step, so a broken store stops the request before any work is done.
  await store?.open();
  const sinks: StampedSink[] = [...(hooks.onEvent ? [hooks.onEvent] : []), ...(recorder ? [recorder.sink, eventLogWriter(home)] : [])];
  const emit = fanOut(...sinks);
  let outcomes: StepOutcome[] = [];
  let error: unknown = null;
  try {
    outcomes = request.inWorker
      ? await runInWorker(request.steps, { backend: request.backend, signal, log, emit })
      : await runHere(request.steps, { engine: engineStarter(request.backend, log), signal, log, emit });
  } catch (err) {
    error = err;
  }
  let runIds: string[] = [];
  try {
    runIds = (await recorder?.flush()) ?? [];
  } catch (storeError) {
    // Steps that worked but could not be recorded fail; steps that failed keep their own error.
    if (error === null) error = storeError;
    else log(`calibra: ${(storeError as Error).message}`);
  }
  if (runIds.length > 0) hooks.onRecorded?.(runIds);
  if (error !== null) throw error;
  return { outcomes, runIds };
}

/** A recorded run's events, in order, for replay. */
export function readRunEvents(runId: string): Promise<StampedEvent[]> {
  return readEventLog(calibraHome(), runId);
}
