// Cached features as the training loop reads them: a BatchSource over a table of per-image
// feature vectors, visiting the images in exactly the order and batches the pixel stream would
// (same shuffle, same filling of bad files' places), so a cached run steps like an uncached one.
import { epochOrder, mixSeed } from '../../data/batches.js';
import { createRng } from '../../util/rng.js';
import type { BatchSource } from '../batch-source.js';
import type { Batch } from '../../data/batches.js';

export interface FeatureTable {
  /** views × images × dim, view-major; rows of images that did not decode are zeros. */
  readonly data: Float32Array;
  readonly views: number;
  readonly images: number;
  readonly dim: number;
  /** 1 where the image decoded, 0 where the pixel stream would pass it over. */
  readonly present: Uint8Array;
}

export interface FeatureSourceArgs {
  batchSize: number;
  shuffle: boolean;
  seed: number;
  /** Per image, indexing the model's classes. */
  labels: Int32Array;
}

/** Apart from the shuffle (1) and augmentation (2) streams of batches.ts. */
const VIEW_STREAM = 3;

/** Which of `views` fixed views image `index` shows in `epoch`: seeded, so a run replays. */
export function viewFor(seed: number, epoch: number, index: number, views: number): number {
  return views === 1 ? 0 : createRng(mixSeed(seed, epoch, index, VIEW_STREAM)).int(views);
}

export function featureSource(table: FeatureTable, args: FeatureSourceArgs): BatchSource {
  const { batchSize, shuffle, seed, labels } = args;
  const indices = Array.from({ length: table.images }, (_, i) => i);
  return async function* (epoch: number, start = 0): AsyncGenerator<Batch> {
    const order = shuffle ? epochOrder(indices, seed, epoch) : indices;
    let cursor = start;
    while (cursor < order.length) {
      const taken: number[] = [];
      while (taken.length < batchSize && cursor < order.length) {
        const i = order[cursor++]!;
        if (table.present[i]) taken.push(i);
      }
      if (taken.length === 0) return;
      const x = new Float32Array(taken.length * table.dim);
      taken.forEach((i, k) => {
        const row = (viewFor(seed, epoch, i, table.views) * table.images + i) * table.dim;
        x.set(table.data.subarray(row, row + table.dim), k * table.dim);
      });
      yield { x, y: Int32Array.from(taken, (i) => labels[i]!), n: taken.length, end: cursor };
    }
  };
}
