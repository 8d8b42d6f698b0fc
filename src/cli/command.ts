// The shape of a command in the table. Commands return their result or throw; they never exit.
import type { ParseArgsConfig } from 'node:util';
import type { BackendReport } from '../engine/backend.js';
import type { StepEnv } from '../workflows/step-env.js';

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
  /** For steps: the engine, the event stream (progress on stderr, the run store) and the log. */
  env: StepEnv;
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
