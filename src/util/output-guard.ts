// The rule every command that writes an output folder follows: never destroy what Calibra did
// not write or the person did not ask to replace, and never write into or over an input.
// Checked before any work starts, so a long run never ends in a refused save.
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';

/** What Calibra writes: a model folder (manifest.json) or a synthetic data set (a marker file). */
export type OutputKind = 'model' | 'dataset';

export const DATASET_MARKER = '.calibra-dataset.json';

export interface OutputRules {
  kind: OutputKind;
  /** Replace an existing output of the same kind that Calibra wrote. */
  overwrite: boolean;
  /** Paths the command reads, each with the flag that named it; `out` may not touch them. */
  inputs: readonly { flag: string; path: string }[];
  /** How the output was named, for messages. Default `--out`. */
  flag?: string;
}

/** The real path, resolving symbolic links through the part of the path that exists. */
async function realish(path: string): Promise<string> {
  const abs = resolve(path);
  const real = await realpath(abs).catch(() => null);
  if (real !== null) return real;
  const parent = dirname(abs);
  return parent === abs ? abs : join(await realish(parent), basename(abs));
}

function within(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/** Whether `dir` holds an output of `kind` that Calibra wrote. */
export async function isCalibraOutput(dir: string, kind: OutputKind): Promise<boolean> {
  const file = kind === 'model' ? join(dir, 'manifest.json') : join(dir, DATASET_MARKER);
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { format?: unknown };
    return parsed.format === (kind === 'model' ? 'calibra-model' : 'calibra-dataset');
  } catch {
    return false;
  }
}

/**
 * Throws an InputError naming the path unless `out` is absent, an empty folder, or (with
 * `overwrite`) an output of the same kind that Calibra wrote; and unless it is clear of every
 * input. Returns the absolute path to write.
 */
export async function checkOutput(out: string, rules: OutputRules): Promise<string> {
  const flag = rules.flag ?? '--out';
  const target = await realish(out);
  for (const input of rules.inputs) {
    const source = await realish(input.path);
    if (within(target, source)) throw new InputError(`${flag} ${out}: would write inside ${input.flag} ${input.path}; choose a folder outside it`);
    if (within(source, target)) throw new InputError(`${flag} ${out}: would replace ${input.flag} ${input.path}, which it contains; choose another folder`);
  }
  const info = await stat(target).catch(() => null);
  if (info === null) return resolve(out);
  if (!info.isDirectory()) throw new InputError(`${flag} ${out}: exists and is a file, not a folder; choose another path`);
  if ((await readdir(target)).length === 0) return resolve(out);
  const what = rules.kind === 'model' ? 'model' : 'data set';
  if (!(await isCalibraOutput(target, rules.kind))) {
    throw new InputError(`${flag} ${out}: exists and is not a Calibra ${what}; Calibra replaces only its own outputs, so choose another folder`);
  }
  if (!rules.overwrite) throw new InputError(`${flag} ${out}: a Calibra ${what} is already there; pass --overwrite to replace it`);
  return resolve(out);
}
