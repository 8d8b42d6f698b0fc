// The stream of batches the trainer and the recalibrator consume. Decoding runs in sharp's
// threads, so while the consumer works on one batch the next one is already being decoded.

import { type Rng, createRng, shuffled } from '../util/rng.js';
import type { BadFileReport } from './bad-files.js';
import type { ImageLoader } from './load-image.js';

export interface BatchItem {
  readonly path: string;
  /** Absent for unlabelled images, which get -1 in y. */
  readonly label?: number;
}

/** What the trainer, evaluation and prediction consume, whether decoded from files or made in memory. */
export interface Batch {
  /** n·height·width·3 pixels in 0..255, RGB, HWC per image. */
  readonly x: Float32Array;
  /** Class indices; -1 for unlabelled images. */
  readonly y: Int32Array;
  readonly n: number;
  /** The files the images came from; absent for batches made in memory. */
  readonly paths?: readonly string[];
  /**
   * The pass's position after this batch (bad files passed over included): where to start to
   * continue it. Absent, the position counts images, the same wherever no file is passed over.
   */
  readonly end?: number;
}

/** A batch decoded from files, as a pass over them yields it. */
export type FileBatch = Required<Batch>;

export interface AugmentContext {
  readonly height: number;
  readonly width: number;
  /** Seeded by (seed, epoch, position in the epoch): the same whatever the decode timing. */
  readonly rng: Rng;
  readonly path: string;
}

/**
 * Per image, after decoding. It gets the cache's own pixels, so it may return them unchanged
 * but must never write into them. The result keeps the length height*width*3.
 */
export type AugmentHook = (pixels: Uint8Array, ctx: AugmentContext) => Uint8Array | Float32Array;

export interface BatchArgs {
  batchSize: number;
  loader: ImageLoader;
  /** Where skipped files go. */
  badFiles: BadFileReport;
  /** Reorder the items for this pass. Default false. */
  shuffle?: boolean;
  /** Drives the shuffle and the augmentation; with epoch, each pass differs but replays. Default 0. */
  seed?: number;
  epoch?: number;
  /**
   * Position in the pass's order to begin at, a batch's `end` from an earlier stream of the same
   * pass: the batches that follow are the ones that stream went on to yield. Default 0.
   */
  start?: number;
  augment?: AugmentHook;
  /** Leave out a last batch smaller than batchSize. Default false. */
  dropLast?: boolean;
  /** Images decoded at once. Default 4, the size of libuv's thread pool. */
  concurrency?: number;
}

/** Mixes small integers into one 32-bit seed (murmur3's finaliser per part). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

const SHUFFLE_STREAM = 1;
const AUGMENT_STREAM = 2;

/** The shuffled order of one pass, fixed by (seed, epoch). */
export function epochOrder<T>(items: readonly T[], seed: number, epoch: number): T[] {
  return shuffled(items, createRng(mixSeed(seed, epoch, SHUFFLE_STREAM)));
}

/**
 * One pass over items. Bad files are skipped and reported; their places are filled from the
 * files that follow, so every batch but the last holds batchSize images. Breaking out early
 * waits for the decodes already started, then stops.
 */
export async function* streamBatches(
  items: readonly BatchItem[],
  args: BatchArgs,
): AsyncGenerator<FileBatch, void, undefined> {
  const { batchSize, loader, badFiles, augment } = args;
  const concurrency = args.concurrency ?? 4;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be >= 1, got ${batchSize}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be >= 1, got ${concurrency}`);
  const start = args.start ?? 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw new RangeError(`start must be within 0..${items.length}, got ${start}`);
  const seed = args.seed ?? 0;
  const epoch = args.epoch ?? 0;
  const order = args.shuffle ? epochOrder(items, seed, epoch) : items.slice();
  const { height, width } = loader;
  const imageLength = height * width * 3;

  // A load never rejects: an error travels as a value and is thrown when its turn comes, since
  // a rejection of a load not yet awaited would count as unhandled.
  type Loaded =
    | { readonly item: BatchItem; readonly pixels: Uint8Array | Float32Array }
    | { readonly item: BatchItem; readonly reason: string }
    | { readonly item: BatchItem; readonly error: unknown };
  let cursor = start;
  let stopped = false;

  const load = async (position: number): Promise<Loaded> => {
    const item = order[position]!;
    try {
      const result = await loader.load(item.path);
      if (!result.ok) return { item, reason: result.reason };
      if (augment === undefined) return { item, pixels: result.pixels };
      const rng = createRng(mixSeed(seed, epoch, position, AUGMENT_STREAM));
      const pixels = augment(result.pixels, { height, width, rng, path: item.path });
      if (pixels.length !== imageLength) {
        throw new RangeError(`augmentation returned ${pixels.length} values for ${item.path}, expected ${imageLength}`);
      }
      return { item, pixels };
    } catch (error) {
      return { item, error };
    }
  };

  // Never starts more loads than the batch can still use, so no decode is wasted at a batch
  // boundary, and takes results in order.
  const assemble = async (): Promise<FileBatch | null> => {
    const taken: { readonly item: BatchItem; readonly pixels: Uint8Array | Float32Array }[] = [];
    const inFlight: Promise<Loaded>[] = [];
    while (taken.length < batchSize) {
      while (
        !stopped &&
        inFlight.length < concurrency &&
        taken.length + inFlight.length < batchSize &&
        cursor < order.length
      ) {
        inFlight.push(load(cursor++));
      }
      const next = inFlight.shift();
      if (next === undefined) break;
      const loaded = await next;
      if ('error' in loaded) throw loaded.error;
      if ('pixels' in loaded) taken.push(loaded);
      else badFiles.add(loaded.item.path, loaded.reason);
    }
    if (taken.length === 0 || (args.dropLast && taken.length < batchSize)) return null;
    const n = taken.length;
    const x = new Float32Array(n * imageLength);
    const y = new Int32Array(n);
    taken.forEach(({ item, pixels }, i) => {
      x.set(pixels, i * imageLength);
      y[i] = item.label ?? -1;
    });
    return { x, y, n, paths: taken.map(({ item }) => item.path), end: cursor };
  };

  // The prefetched batch may fail while the consumer still holds the previous one; marking it
  // handled keeps that from being an unhandled rejection, and the await below still throws.
  const prefetch = (): Promise<FileBatch | null> => {
    const next = assemble();
    next.catch(() => undefined);
    return next;
  };
  let pending = prefetch();
  try {
    for (;;) {
      const batch = await pending;
      if (batch === null) return;
      pending = prefetch();
      yield batch;
    }
  } finally {
    stopped = true;
    await pending.catch(() => undefined);
  }
}
