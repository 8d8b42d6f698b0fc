// What the UI needs from the rest of Calibra, as one interface: the screens take it as a prop,
// so component tests drive them with hand-made runs and the real binary gets the run API.
import type { RunRecord } from '../store/run-record.js';
import type { RunEvent } from '../events/run-events.js';
import type { Step } from '../workflows/schema.js';

export type StampedEvent = RunEvent & { runId: string | null; at: string; stepIndex: number; stepName: string };
export interface RunRequest { steps: Step[]; backend?: string; record?: boolean; inWorker?: boolean }
export interface RunHooks { signal?: AbortSignal; onEvent?: (e: StampedEvent) => void; log?: (line: string) => void }
export interface RunResult { outcomes: { name: string; kind: Step['kind']; runId: string | null; result: Record<string, unknown> }[]; runIds: string[] }

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
