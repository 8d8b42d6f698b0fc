// Reading a tfjs layers model's files strictly: JSON that is JSON, a topology that is one, and
// weight files that stay inside the model's folder and hold exactly the bytes their specs need.
// Every refusal is one line of printable text naming the file.
import { readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { tf } from '../engine/tf.js';
import { InputError } from '../errors.js';

/** One line of printable text: what a file or a library says may hold newlines or raw bytes. */
export function printable(text: string, max = 160): string {
  const line = text.replace(/[^\x20-\x7e\u00a0-\uffff]+/g, ' ').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

export async function readJson(path: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new InputError(`${path}: cannot read`);
  }
  // JSON.parse quotes the text around an error, which for a weights file is raw binary.
  if (bytes.includes(0)) throw new InputError(`${path}: a binary file, not JSON (give a model.json or its folder)`);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new InputError(`${path}: not valid JSON`);
  }
}


export interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export function requireModelJson(raw: unknown, path: string): ModelJson {
  const json = raw as Partial<ModelJson> | null;
  if (!json || typeof json !== 'object' || !Array.isArray(json.weightsManifest)) {
    throw new InputError(`${path}: not a tfjs layers model (needs modelTopology and weightsManifest)`);
  }
  // Keras 2.1-era exports wrap the config as {keras_version, backend, model_config}, as tfjs accepts.
  const outer = json.modelTopology as { model_config?: unknown } | undefined;
  const topology = (outer && typeof outer === 'object' && 'model_config' in outer ? outer.model_config : outer) as { class_name?: unknown; config?: unknown } | undefined;
  if (!topology || typeof topology !== 'object' || typeof topology.class_name !== 'string' || !topology.config || typeof topology.config !== 'object') {
    throw new InputError(`${path}: modelTopology is empty or not a Keras model config (needs class_name and config)`);
  }
  const groupsOk = json.weightsManifest.every((g) => g && Array.isArray(g.paths) && g.paths.every((p) => typeof p === 'string') && Array.isArray(g.weights));
  if (!groupsOk) throw new InputError(`${path}: weightsManifest entries need paths (file names) and weights (specs)`);
  return json as ModelJson;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/** Bytes the specs of one weights group take, or null when a spec's size is not fixed (strings). */
export function expectedBytes(specs: readonly tf.io.WeightsManifestEntry[]): number | null {
  let total = 0;
  for (const spec of specs) {
    const per = BYTES_PER_ELEMENT[spec.quantization?.dtype ?? spec.dtype];
    if (per === undefined) return null;
    total += per * spec.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

/** Reads every weight file, refusing paths that leave the model's folder and files of the wrong size. */
export async function readWeights(json: ModelJson, path: string): Promise<Buffer> {
  const dir = dirname(path);
  const realDir = await realpath(dir);
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    const groupBuffers: Buffer[] = [];
    for (const p of group.paths) {
      const file = resolve(dir, p);
      const real = await realpath(file).catch(() => null);
      const inside = (f: string, d: string) => f.startsWith(d.endsWith(sep) ? d : d + sep);
      if (isAbsolute(p) || !inside(file, dir) || (real !== null && !inside(real, realDir))) {
        throw new InputError(`${path}: weight path ${JSON.stringify(printable(p))} leaves the model's folder; refused`);
      }
      groupBuffers.push(await readFile(file).catch(() => { throw new InputError(`${file}: weight file missing (named in ${path})`); }));
    }
    const have = groupBuffers.reduce((n, b) => n + b.byteLength, 0);
    const need = expectedBytes(group.weights);
    if (need !== null && have !== need) {
      const files = group.paths.map((p) => join(dir, p)).join(', ');
      throw new InputError(`${files}: ${have} bytes, but the weight specs in ${path} need ${need} (${have < need ? 'truncated' : 'extra bytes at the end'})`);
    }
    buffers.push(...groupBuffers);
  }
  return Buffer.concat(buffers);
}
