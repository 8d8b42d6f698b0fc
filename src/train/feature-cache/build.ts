// The cached features of one image folder: read from the store when a cache with the same key
// is there, else computed by running the frozen part once per image (once per view with
// augmentation) and stored for the next run.
import { relative } from 'node:path';
import { tf } from '../../engine/tf.js';
import { createAugmentHook } from '../../data/augment.js';
import { BadFileReport } from '../../data/bad-files.js';
import { streamBatches, type BatchItem } from '../../data/batches.js';
import { imageFolderHash } from '../../data/image-folder-hash.js';
import type { ImageLoader } from '../../data/load-image.js';
import { inputTensor } from '../../models/input-tensor.js';
import type { Manifest } from '../../models/manifest.js';
import { featureCacheKey, type CachedAugment, type FeatureCacheParts } from './key.js';
import type { FeatureSplit } from './split.js';
import { readFeatures, writeFeatures, type StoredFeatures } from './store.js';

/** Images per backbone pass while building: inference only, so larger than a training batch. */
export const BUILD_BATCH = 64;

export interface FolderToCache {
  root: string;
  items: readonly BatchItem[];
  loader: ImageLoader;
}

export interface CacheRequest {
  home: string;
  split: FeatureSplit;
  /** backboneHash(split.backbone), computed once for all folders. */
  backboneHash: string;
  folder: FolderToCache;
  manifest: Pick<Manifest, 'inputShape' | 'preprocessing'>;
  augment: CachedAugment;
  /** Images per forward pass while building; default BUILD_BATCH. */
  batchSize?: number;
  signal?: AbortSignal;
}

export interface CachedFeatures {
  status: 'built' | 'hit';
  table: StoredFeatures;
  seconds: number;
}

export async function cachedFeatures(req: CacheRequest): Promise<CachedFeatures> {
  const start = performance.now();
  const { folder, manifest, augment } = req;
  const paths = folder.items.map((it) => it.path);
  const images = paths.map((p) => relative(folder.root, p));
  const parts: FeatureCacheParts = {
    backbone: req.backboneHash, cut: req.split.cut, images: await imageFolderHash(folder.root, paths),
    preprocessing: manifest.preprocessing, inputShape: manifest.inputShape, augment,
  };
  const key = featureCacheKey(parts);
  const stored = await readFeatures(req.home, key, images);
  if (stored) return { status: 'hit', table: stored, seconds: (performance.now() - start) / 1000 };
  const table = await computeFeatures(req);
  await writeFeatures(req.home, key, parts, images, table);
  return { status: 'built', table, seconds: (performance.now() - start) / 1000 };
}

/** One pass per view over the folder in its own order; view k's augmentation is seeded by (seed, k, position). */
async function computeFeatures(req: CacheRequest): Promise<StoredFeatures> {
  const { folder, split, manifest, augment } = req;
  const n = folder.items.length;
  const views = augment.kind === 'none' ? 1 : augment.views;
  const hook = augment.kind === 'none' ? undefined : createAugmentHook({ flip: augment.flip, scale: augment.cropScale });
  const seed = augment.kind === 'none' ? 0 : augment.seed;
  const indexOf = new Map(folder.items.map((it, i) => [it.path, i]));
  const data = new Float32Array(views * n * split.dim);
  const present = new Uint8Array(n);
  let skipped: { path: string; reason: string }[] = [];
  for (let view = 0; view < views; view++) {
    const badFiles = new BadFileReport();
    const batches = streamBatches(folder.items, { batchSize: req.batchSize ?? BUILD_BATCH, loader: folder.loader, badFiles, seed, epoch: view, augment: hook });
    for await (const batch of batches) {
      req.signal?.throwIfAborted();
      const features = tf.tidy(() => split.backbone.apply(inputTensor(batch.x, batch.n, manifest.inputShape, manifest.preprocessing), { training: false }) as tf.Tensor);
      const values = await features.data() as Float32Array;
      features.dispose();
      batch.paths.forEach((path, k) => {
        const i = indexOf.get(path)!;
        present[i] = 1;
        data.set(values.subarray(k * split.dim, (k + 1) * split.dim), (view * n + i) * split.dim);
      });
    }
    if (view === 0) skipped = badFiles.list();
  }
  return { data, views, images: n, dim: split.dim, present, skipped };
}
