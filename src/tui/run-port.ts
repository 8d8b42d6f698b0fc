// What the UI needs from the rest of Calibra, as one interface: the screens take it as a prop,
// so component tests drive them with hand-made runs and the real binary gets the run API.
import type { RunRecord } from '../store/run-record.js';
import type { StampedEvent } from '../events/run-events.js';
import type { RunHooks, RunRequest, RunResult } from '../run/run-api.js';

export type { RunHooks, RunRequest, RunResult, StampedEvent };

/** The engine a run gets by default: the backend that starts first, and its kernel threads where known. */
export interface EngineInfo {
  backend: string;
  /** The native kernels' OpenMP threads; null for backends that do not say. */
  threads: number | null;
}

export interface RunPort {
  execute(request: RunRequest, hooks: RunHooks): Promise<RunResult>;
  resumeRequest(runId: string): Promise<RunRequest>;
  readEvents(runId: string): Promise<StampedEvent[]>;
  /** Oldest first, as the store keeps them. */
  listRuns(): Promise<RunRecord[]>;
  engine(): Promise<EngineInfo>;
  /** Shipped model ids, offered in the model fields. */
  zoo(): string[];
}
