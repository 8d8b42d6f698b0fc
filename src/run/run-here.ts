// Runs a request's steps in this thread: each step gets its run id, and every event it emits is
// stamped with that id, the time and the step before it reaches the subscribers.
import type { StampedSink } from '../events/run-events.js';
import type { BackendReport } from '../engine/backend.js';
import { newRunId } from '../store/run-id.js';
import { runSteps, stepName, type StepOutcome } from '../workflows/runner.js';
import type { Step } from '../workflows/schema.js';

export interface HereContext {
  engine: () => Promise<BackendReport>;
  signal?: AbortSignal;
  log: (line: string) => void;
  emit: StampedSink;
}

export function runHere(steps: readonly Step[], { engine, signal, log, emit }: HereContext): Promise<StepOutcome[]> {
  return runSteps(steps, signal, (index, step) => {
    if (steps.length > 1) log(`— step ${index + 1}/${steps.length}: ${step.name ?? step.kind}`);
    const runId = step.kind === 'synth' ? null : newRunId();
    const name = stepName(step, index);
    return {
      engine,
      signal,
      log,
      ...(runId === null ? {} : { runId }),
      emit: (e) => emit({ ...e, runId, at: new Date().toISOString(), stepIndex: index, stepName: name }),
    };
  });
}
