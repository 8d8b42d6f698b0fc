// A labelled synthetic image folder on disk: out/0 … out/9, PNGs inside, and a marker file that
// says Calibra wrote it (only such a set is ever replaced). The set appears at `out` all at once
// or not at all: it is written into a hidden sibling folder and swapped into place at the end,
// so a killed run leaves at most that sibling behind, never a half-written set.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { InputError } from '../../errors.js';
import { createRng } from '../../util/rng.js';
import { writeDirAtomically } from '../../util/atomic.js';
import { checkOutput, DATASET_MARKER, type OutputRules } from '../../util/output-guard.js';
import { SYNTH_DEFAULTS } from './defaults.js';
import { getDomain } from './domains.js';
import { renderDigit } from './render.js';

export interface SynthesizeArgs {
  readonly domain: string;
  readonly out: string;
  readonly perClass?: number;
  readonly size?: number;
  readonly seed?: number;
  /** Replace a set Calibra wrote at `out` (still all at once) instead of refusing it. */
  readonly overwrite?: boolean;
  /** Paths `out` must stay clear of, each with how to name it. */
  readonly inputs?: OutputRules['inputs'];
  /** Where to report interrupted writes recovered beside `out`. */
  readonly log?: (line: string) => void;
  /** Called after each image is written. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SynthesisSummary {
  readonly domain: string;
  /** Absolute path of the written folder. */
  readonly out: string;
  /** Images written. */
  readonly n: number;
  readonly perClass: number;
  readonly size: number;
  readonly seed: number;
}

const CLASSES = 10;
// sharp encodes on libuv's thread pool; a few writes in flight keep it busy without
// holding many images in memory.
const IN_FLIGHT = 8;

/**
 * Writes `perClass` images of each digit of `domain` under `out`. Images are drawn in the order
 * (index, class) from one seeded stream, so a smaller `perClass` with the same seed gives a prefix
 * of a larger set.
 *
 * @throws InputError for an unknown domain, bad numbers, or an `out` that checkOutput refuses:
 *   anything but an absent or empty folder, or (with `overwrite`) a set Calibra wrote
 */
export async function synthesizeDataset(args: SynthesizeArgs): Promise<SynthesisSummary> {
  const domain = getDomain(args.domain).id;
  const perClass = args.perClass ?? SYNTH_DEFAULTS.perClass;
  const size = args.size ?? SYNTH_DEFAULTS.size;
  const seed = args.seed ?? SYNTH_DEFAULTS.seed;
  requireInteger('per-class', perClass, 1, 1_000_000);
  requireInteger('size', size, 8, 1024);
  requireInteger('seed', seed, 0, 2 ** 32 - 1);
  const rules: OutputRules = { kind: 'dataset', overwrite: args.overwrite ?? false, inputs: args.inputs ?? [], log: args.log };
  const out = await checkOutput(args.out, rules);
  await writeDirAtomically(out, async (dir) => {
    await writeFile(join(dir, DATASET_MARKER), JSON.stringify({ format: 'calibra-dataset', version: 1, domain, perClass, size, seed }) + '\n');
    const pending = new Set<Promise<void>>();
    try {
      for (let c = 0; c < CLASSES; c++) await mkdir(join(dir, String(c)), { recursive: true });
      const total = perClass * CLASSES;
      const digits = String(perClass - 1).length;
      const rng = createRng(seed);
      let done = 0;
      for (let i = 0; i < perClass; i++) {
        for (let c = 0; c < CLASSES; c++) {
          const pixels = renderDigit(domain, c, rng, size);
          const file = join(dir, String(c), `${String(i).padStart(digits, '0')}.png`);
          const write = sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
            .png()
            .toFile(file)
            .then(() => {
              pending.delete(write);
              args.onProgress?.(++done, total);
            });
          pending.add(write);
          if (pending.size >= IN_FLIGHT) await Promise.race(pending);
        }
      }
      await Promise.all(pending);
    } catch (error) {
      // Writes still in flight would otherwise land in the folder as it is being removed.
      await Promise.allSettled(pending);
      throw error;
    }
  }, { beforeSwap: async () => void (await checkOutput(out, rules)) });
  return { domain, out, n: perClass * CLASSES, perClass, size, seed };
}

function requireInteger(name: string, value: number, lo: number, hi: number): void {
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw new InputError(`--${name} must be an integer from ${lo} to ${hi}, got ${value}`);
  }
}
