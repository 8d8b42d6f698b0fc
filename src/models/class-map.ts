// --class-map NEW=OLD,…: which of a model's classes each new class starts from. Parsing and
// resolving are pure; only reading an @file touches the disk.
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';

export type ClassPairs = readonly (readonly [newClass: string, oldClass: string])[];

export interface ClassMapping {
  newClass: string;
  oldClass: string;
  /** Row of the model's classifier. */
  oldIndex: number;
}

/** `ants=ant,bees=bee`. */
export function parseClassMapText(text: string, flag = '--class-map'): ClassPairs {
  const pairs = text.split(',').map((part) => {
    const eq = part.indexOf('=');
    const [newClass, oldClass] = [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
    if (eq < 0 || newClass === '' || oldClass === '') throw new InputError(`${flag} ${text}: '${part}' is not NEW=OLD`);
    return [newClass, oldClass] as const;
  });
  return checkDistinct(pairs, flag);
}

/** A JSON object {"ants": "ant", …}. */
export function parseClassMapJson(raw: unknown, where: string): ClassPairs {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${where}: expected a JSON object {"NEW": "OLD", …}`);
  const pairs = Object.entries(raw).map(([k, v]) => {
    if (typeof v !== 'string' && typeof v !== 'number') throw new InputError(`${where}: '${k}' must map to a class name or index`);
    return [k, String(v)] as const;
  });
  if (pairs.length === 0) throw new InputError(`${where}: the map is empty`);
  return checkDistinct(pairs, where);
}

function checkDistinct(pairs: ClassPairs, where: string): ClassPairs {
  const seen = new Set<string>();
  for (const [n] of pairs) {
    if (seen.has(n)) throw new InputError(`${where}: '${n}' is mapped twice`);
    seen.add(n);
  }
  return pairs;
}

/** The flag's value, a workflow's mapping, or `@file.json`. */
export async function readClassMap(spec: string | Record<string, string>, flag = '--class-map'): Promise<ClassPairs> {
  if (typeof spec !== 'string') return parseClassMapJson(spec, flag);
  if (!spec.startsWith('@')) return parseClassMapText(spec, flag);
  const path = spec.slice(1);
  const text = await readFile(path, 'utf8').catch(() => { throw new InputError(`${flag} ${spec}: cannot read ${path}`); });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${flag} ${spec}: ${path} is not valid JSON (${(err as Error).message})`);
  }
  return parseClassMapJson(raw, `${flag} ${path}`);
}

/**
 * OLD is one of the model's class names, or its index when the name is ambiguous (ImageNet
 * has two 'crane's) or the model has no names.
 */
export function resolveClassMap(pairs: ClassPairs, modelClasses: readonly string[], flag = '--class-map'): ClassMapping[] {
  return pairs.map(([newClass, oldClass]) => {
    const hits = modelClasses.flatMap((c, i) => (c === oldClass ? [i] : []));
    if (hits.length > 1) throw new InputError(`${flag}: '${oldClass}' names the model's classes ${hits.join(' and ')}: give the index instead (${newClass}=${hits[0]})`);
    if (hits.length === 1) return { newClass, oldClass, oldIndex: hits[0]! };
    const index = /^\d+$/.test(oldClass) ? Number(oldClass) : -1;
    if (index >= 0 && index < modelClasses.length) return { newClass, oldClass: modelClasses[index]!, oldIndex: index };
    throw new InputError(`${flag}: '${oldClass}' is not a class of the model (${modelClasses.slice(0, 8).join(', ')}${modelClasses.length > 8 ? `, … ${modelClasses.length} in all` : ''})`);
  });
}

/**
 * A new classifier's kernel ([features, newClasses], row-major) and bias: the columns of mapped
 * classes copied from the old classifier ([features, oldClasses]), the others kept from `fresh`.
 */
export function classifierFromRows(
  old: { kernel: Float32Array; bias: Float32Array | null; classes: number },
  fresh: { kernel: Float32Array; bias: Float32Array },
  rowFor: readonly (number | null)[],
): { kernel: Float32Array; bias: Float32Array } {
  const n = rowFor.length;
  const features = old.kernel.length / old.classes;
  const kernel = Float32Array.from(fresh.kernel);
  const bias = Float32Array.from(fresh.bias);
  rowFor.forEach((row, j) => {
    if (row === null) return;
    for (let f = 0; f < features; f++) kernel[f * n + j] = old.kernel[f * old.classes + row]!;
    bias[j] = old.bias?.[row] ?? 0;
  });
  return { kernel, bias };
}
