// The one exit point of a measurement script: bad flags exit 2 with one line, a calibra command
// that failed exits 1 with its command line and stderr, anything else exits 1 with its stack.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../../src/errors.js';
import { StepFailed } from './cli-session.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export async function scriptMain(usage: string, options: Options, body: (values: Record<string, string | boolean | undefined>) => Promise<void>): Promise<void> {
  try {
    const { values } = parseArgs({ options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals: false });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      return;
    }
    await body(values as Record<string, string | boolean | undefined>);
  } catch (err) {
    process.exitCode = 1;
    if (err instanceof StepFailed) {
      process.stderr.write(`error: ${err.message}\n`);
    } else if (err instanceof InputError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${(err as Error).message} (see --help)\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
    }
  }
}

/** A whole number ≥ min from a string flag; InputError naming the flag otherwise. */
export function intFlag(values: Record<string, unknown>, name: string, min: number): number {
  const raw = values[name];
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < min) throw new InputError(`--${name} must be a whole number ≥ ${min}, got '${String(raw)}'`);
  return n;
}

/** A positive number from a string flag; InputError naming the flag otherwise. */
export function positiveFlag(values: Record<string, unknown>, name: string): number {
  const raw = values[name];
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(n) || n <= 0) throw new InputError(`--${name} must be a positive number, got '${String(raw)}'`);
  return n;
}
