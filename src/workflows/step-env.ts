import type { BackendReport } from '../engine/backend.js';
import type { EventSink } from '../events/run-events.js';

/** What a step needs from whoever runs it (the CLI, `calibra run`, the TUI). */
export interface StepEnv {
  /** Starts the engine once and returns which backend runs. */
  engine: () => Promise<BackendReport>;
  /** The run-event stream; progress displays and the store subscribe to it. */
  emit: EventSink;
  /** Human-readable notes (warnings, choices made) for stderr or a log pane. */
  log: (line: string) => void;
  /** Aborted when the person asks to stop (Ctrl+C): a step ends at its next safe point and saves nothing. */
  signal?: AbortSignal;
  /** The id the run is recorded under, chosen by whoever runs the step (it names checkpoints). */
  runId?: string;
}
