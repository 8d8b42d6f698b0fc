// The shape of a command in the table. Commands return their result or throw; they never exit.
import type { ParseArgsConfig } from 'node:util';
import type { BackendReport } from '../engine/backend.js';
import type { StepOutcome, StepResults } from '../workflows/runner.js';
import type { Step } from '../workflows/schema.js';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface CommandContext {
  values: Values;
  positionals: string[];
  json: boolean;
  /** Progress and logs: always stderr, so stdout stays machine-readable. */
  log: (line: string) => void;
  /** Starts the tfjs engine (once) and reports the backend on stderr. */
  engine: () => Promise<BackendReport>;
  /** Runs steps through the run API: recorded, with progress on stderr, stopped by Ctrl+C. */
  runSteps(steps: Step[]): Promise<StepOutcome[]>;
  /** One step, its result typed by its kind. */
  runStep<S extends Step>(step: S): Promise<StepResults[S['kind']]>;
}

export interface CommandResult {
  /** What `--json` prints as the last stdout line. */
  json: Record<string, unknown>;
  /** What a person sees on stdout without `--json`. */
  text: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Options;
  /** Whether a positional argument is expected (e.g. `run FILE`, `runs show ID`). */
  positionals?: boolean;
  run(ctx: CommandContext): Promise<CommandResult>;
}
