// The rule every command that writes an output folder follows: never destroy what Calibra did
// not write or the person did not ask to replace, and never write into or over an input.
// Checked before any work starts, so a long run never ends in a refused save, and again just
// before the swap, since the folder may have changed while the work ran.
import { lstat, readFile, readdir, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { recoverBeside } from './interrupted-writes.js';

/** What Calibra writes: a model folder (manifest.json) or a synthetic data set (a marker file). */
export type OutputKind = 'model' | 'dataset';

export const DATASET_MARKER = '.calibra-dataset.json';

/** The files saveModel writes; a model folder holding anything else holds someone's work. */
const MODEL_FILES = new Set(['model.json', 'weights.bin', 'manifest.json']);

export interface OutputRules {
  kind: OutputKind;
  /** Replace an existing output of the same kind that Calibra wrote. */
  overwrite: boolean;
  /** Paths the command reads or must never change, each with how to name it; `out` may not touch them. */
  inputs: readonly { flag: string; path: string }[];
  /** How the output was named, for messages. Default `--out`. */
  flag?: string;
  /** Where to report interrupted writes that were recovered beside the output. */
  log?: (line: string) => void;
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

async function readMarker(file: string, format: string): Promise<Record<string, unknown> | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown> | null;
    return parsed !== null && typeof parsed === 'object' && parsed.format === format ? parsed : null;
  } catch {
    return null;
  }
}

/** The names a synthetic set of `perClass` images per digit holds, as write-dataset names them. */
function datasetLayout(perClass: number): Map<string, Set<string>> {
  const digits = String(perClass - 1).length;
  const images = new Set(Array.from({ length: perClass }, (_, i) => `${String(i).padStart(digits, '0')}.png`));
  return new Map(Array.from({ length: 10 }, (_, c) => [String(c), images]));
}

/**
 * The first entry of `dir` that Calibra would not have written there as an output of `kind`, or
 * null when there is none. A missing or foreign marker makes the marker itself the answer.
 */
export async function foreignEntry(dir: string, kind: OutputKind): Promise<string | null> {
  if (kind === 'model') {
    if ((await readMarker(join(dir, 'manifest.json'), 'calibra-model')) === null) return join(dir, 'manifest.json');
    const other = (await readdir(dir)).find((name) => !MODEL_FILES.has(name));
    return other === undefined ? null : join(dir, other);
  }
  const marker = await readMarker(join(dir, DATASET_MARKER), 'calibra-dataset');
  const perClass = marker?.perClass;
  if (typeof perClass !== 'number' || !Number.isInteger(perClass) || perClass < 1) return join(dir, DATASET_MARKER);
  const layout = datasetLayout(perClass);
  for (const name of await readdir(dir)) {
    if (name === DATASET_MARKER) continue;
    const images = layout.get(name);
    if (images === undefined) return join(dir, name);
    const other = (await readdir(join(dir, name)).catch(() => [''])).find((f) => !images.has(f));
    if (other !== undefined) return join(dir, name, other);
  }
  return null;
}

/** Whether `dir` holds an output of `kind` that Calibra wrote, and nothing else. */
export async function isCalibraOutput(dir: string, kind: OutputKind): Promise<boolean> {
  return (await foreignEntry(dir, kind)) === null;
}

/**
 * Throws an InputError naming the path unless `out` is absent, an empty folder, or (with
 * `overwrite`) an output of the same kind that Calibra wrote and nothing more; and unless it is
 * clear of every input. First recovers interrupted writes beside `out`, so that a folder a
 * killed save left half swapped is judged in its finished state. Returns the absolute path.
 */
export async function checkOutput(out: string, rules: OutputRules): Promise<string> {
  const flag = rules.flag ?? '--out';
  const abs = resolve(out);
  await recoverBeside(abs, rules.log);
  const target = await realish(abs);
  for (const input of rules.inputs) {
    const source = await realish(input.path);
    if (target === source) throw new InputError(`${flag} ${out}: is ${input.flag} ${input.path} itself; write to another folder`);
    if (within(target, source)) throw new InputError(`${flag} ${out}: would write inside ${input.flag} ${input.path}; choose a folder outside it`);
    if (within(source, target)) throw new InputError(`${flag} ${out}: would replace ${input.flag} ${input.path}, which it contains; choose another folder`);
  }
  const info = await lstat(abs).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    if (err.code === 'ENOTDIR') throw new InputError(`${flag} ${out}: part of the path is a file, not a folder`);
    throw new InputError(`${flag} ${out}: cannot be examined (${err.code ?? err.message})`);
  });
  if (info === null) return abs;
  // The swap renames the link itself, so a linked folder would look replaced while the link went.
  if (info.isSymbolicLink()) throw new InputError(`${flag} ${out}: is a symbolic link; give the folder it points to, or another path`);
  if (!info.isDirectory()) throw new InputError(`${flag} ${out}: exists and is a file, not a folder; choose another path`);
  if ((await readdir(abs)).length === 0) return abs;
  const what = rules.kind === 'model' ? 'model' : 'data set';
  const foreign = await foreignEntry(abs, rules.kind);
  if (foreign !== null) {
    const marker = rules.kind === 'model' ? 'manifest.json' : DATASET_MARKER;
    const why = basename(foreign) === marker ? `is not a Calibra ${what}` : `holds ${foreign}, which Calibra did not write`;
    throw new InputError(`${flag} ${out}: exists and ${why}; Calibra replaces only its own outputs, so choose another folder`);
  }
  if (!rules.overwrite) throw new InputError(`${flag} ${out}: a Calibra ${what} is already there; pass --overwrite to replace it`);
  return abs;
}
