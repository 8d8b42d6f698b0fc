// The one reducer the screens read a run through: stamped run events in, progress, rates, ETA,
// per-epoch rows, curves and status out. Pure, so a hand-made event sequence tests it, and a
// stored run's events replay through it into the same state a live run had.
import type { RunCommand } from '../events/run-events.js';
import type { StampedEvent } from './run-port.js';

export type RunStatus = 'running' | 'stopping' | 'finished' | 'failed' | 'stopped';

export interface EpochRow {
  epoch: number;
  loss: number;
  accuracy: number;
  valAccuracy: number | null;
  seconds: number;
  imagesPerSecond: number;
}

export interface StepState {
  index: number;
  name: string;
  command: RunCommand | null;
  runId: string | null;
  backend: string | null;
  config: Record<string, unknown>;
  /** Work done and to do, in image visits (an exact recalibration visits every image once per BN layer). */
  done: number;
  total: number;
  imagesPerSecond: number | null;
  etaSeconds: number | null;
  epoch: number | null;
  epochs: number | null;
  /** What the step is on now, beyond the counts: the BN layer an exact recalibration measures. */
  detail: string | null;
  epochRows: EpochRow[];
  /** Per optimizer step. */
  loss: number[];
  /** Per epoch: validation accuracy where the run validates. */
  valAccuracy: number[];
  /** Where the step wrote its model (CheckpointSaved: the saved `out`). */
  saved: string | null;
  status: 'running' | 'finished' | 'failed';
  result: Record<string, unknown> | null;
  error: string | null;
}

export interface RunState {
  status: RunStatus;
  steps: StepState[];
  warnings: string[];
  skippedFiles: number;
  /** Why the run ended, when it did not finish: the step's one-line error. */
  error: string | null;
}

/** What the UI itself adds to the event stream: the stop key, and the run's promise settling. */
export type RunAction =
  | StampedEvent
  | { type: 'StopRequested' }
  | { type: 'RunSettled'; error: string | null };

export const initialRunState: RunState = { status: 'running', steps: [], warnings: [], skippedFiles: 0, error: null };

function newStep(e: StampedEvent): StepState {
  return {
    index: e.stepIndex, name: e.stepName, command: null, runId: e.runId, backend: null, config: {},
    done: 0, total: 0, imagesPerSecond: null, etaSeconds: null, epoch: null, epochs: null, detail: null,
    epochRows: [], loss: [], valAccuracy: [], saved: null, status: 'running', result: null, error: null,
  };
}

const eta = (remaining: number, rate: number) => (rate > 0 ? Math.max(0, remaining) / rate : null);

/** The step's state after one of its own events. */
function stepAfter(s: StepState, e: StampedEvent): StepState {
  const runId = e.runId ?? s.runId;
  switch (e.type) {
    case 'RunStarted':
      return { ...s, runId, command: e.command, backend: e.backend, config: e.config, total: e.totalImages };
    case 'EpochStarted':
      return { ...s, runId, epoch: e.epoch, epochs: e.epochs };
    case 'OptimizerStepped':
      return {
        ...s, runId, done: e.imagesSeen, total: e.totalImages, imagesPerSecond: e.imagesPerSecond,
        etaSeconds: eta(e.totalImages - e.imagesSeen, e.imagesPerSecond), loss: [...s.loss, e.loss],
      };
    case 'EpochEnded': {
      const row: EpochRow = { epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, valAccuracy: null, seconds: e.seconds, imagesPerSecond: e.imagesPerSecond };
      return { ...s, runId, epochRows: [...s.epochRows.filter((r) => r.epoch !== e.epoch), row] };
    }
    case 'ValidationEnded':
      return {
        ...s, runId,
        epochRows: s.epochRows.map((r) => (r.epoch === e.epoch ? { ...r, valAccuracy: e.accuracy } : r)),
        valAccuracy: [...s.valAccuracy, e.accuracy],
      };
    case 'EvalProgress':
      return { ...s, runId, done: e.imagesSeen, total: e.totalImages, imagesPerSecond: e.imagesPerSecond, etaSeconds: eta(e.totalImages - e.imagesSeen, e.imagesPerSecond) };
    case 'RecalibrationProgress': {
      // Exact mode makes one pass per BN layer (layerIndex counts from 1); fast mode one pass.
      const passes = e.layer === null ? 1 : e.layers;
      const passesDone = e.layer === null ? 0 : e.layerIndex - 1;
      const total = passes * e.totalImages;
      const done = passesDone * e.totalImages + e.imagesDone;
      return {
        ...s, runId, done, total, imagesPerSecond: e.imagesPerSecond, etaSeconds: eta(total - done, e.imagesPerSecond),
        detail: e.layer === null ? `all ${e.layers} BN layers` : `BN ${e.layerIndex}/${e.layers} ${e.layer}`,
      };
    }
    case 'CheckpointSaved':
      return { ...s, runId, saved: e.path };
    case 'RunFinished':
      return { ...s, runId, status: 'finished', result: e.result, done: Math.max(s.done, s.total), etaSeconds: 0 };
    case 'RunFailed':
      return { ...s, runId, status: 'failed', error: e.error, etaSeconds: null };
    default:
      return { ...s, runId };
  }
}

function withStep(state: RunState, e: StampedEvent): RunState {
  const at = state.steps.findIndex((s) => s.index === e.stepIndex);
  const before = at >= 0 ? state.steps[at]! : newStep(e);
  const after = stepAfter(before, e);
  const steps = at >= 0 ? state.steps.map((s, i) => (i === at ? after : s)) : [...state.steps, after];
  return { ...state, steps };
}

export function runReducer(state: RunState, action: RunAction): RunState {
  switch (action.type) {
    case 'StopRequested':
      return state.status === 'running' ? { ...state, status: 'stopping' } : state;
    case 'RunSettled':
      if (action.error === null) return { ...state, status: 'finished', error: null };
      // A run that fails after the stop key was pressed was stopped (train checkpointed first).
      return { ...state, status: state.status === 'stopping' ? 'stopped' : 'failed', error: action.error };
    case 'RunWarning':
      return withStep({ ...state, warnings: [...state.warnings, action.message] }, action);
    case 'DataSkipped':
      return withStep({ ...state, skippedFiles: state.skippedFiles + action.files.length }, action);
    default:
      return withStep(state, action);
  }
}

/** The events of a stored run, folded into the state a live run ended in. */
export function replayRun(events: readonly StampedEvent[], status: RunStatus): RunState {
  const folded = events.reduce(runReducer, initialRunState);
  return { ...folded, status, error: folded.steps.find((s) => s.error !== null)?.error ?? null };
}

/** The step the dashboard shows: the last one that started. */
export function currentStep(state: RunState): StepState | null {
  return state.steps.at(-1) ?? null;
}

/** Share of the step's work done, 0 to 1. */
export function stepFraction(step: StepState): number {
  return step.total > 0 ? Math.min(1, step.done / step.total) : step.status === 'finished' ? 1 : 0;
}

/** The epoch with the best validation accuracy (the first of equals), or null without validation. */
export function bestEpoch(rows: readonly EpochRow[]): number | null {
  let best: EpochRow | null = null;
  for (const r of rows) if (r.valAccuracy !== null && (best === null || r.valAccuracy > best.valAccuracy!)) best = r;
  return best?.epoch ?? null;
}
