// Whether a train step runs on cached backbone features, and what it then trains and validates
// with: the head model, a batch source over the cached training features, and the validation
// features (validation is never augmented, so its cache is always exact).
import { tf } from '../../engine/tf.js';
import { InputError } from '../../errors.js';
import type { Manifest } from '../../models/manifest.js';
import type { BatchSource } from '../../train/batch-source.js';
import type { Batch } from '../../data/batches.js';
import type { LabelledFeed } from '../../train/data-feed.js';
import { cachedFeatures, type CachedFeatures, type FolderToCache } from '../../train/feature-cache/build.js';
import type { CachedAugment } from '../../train/feature-cache/key.js';
import { backboneHash, splitForCache } from '../../train/feature-cache/split.js';
import { recoverFeatureCaches } from '../../train/feature-cache/store.js';
import { featureSource } from '../../train/feature-cache/table.js';
import type { TrainStep } from '../schema.js';
import type { StepEnv } from '../step-env.js';

export type FeatureCacheStatus = 'built' | 'hit' | 'off' | 'n/a';

/** Augmented views per image a cache holds when the step does not say. */
export const DEFAULT_CACHE_VIEWS = 5;

export interface CachedRun {
  status: 'built' | 'hit';
  /** The head alone, sharing the full model's layers. */
  head: tf.LayersModel;
  source: BatchSource;
  /** Validation batches of cached features, in folder order; absent without validation. */
  valSource?: BatchSource;
  input: (batch: Batch) => tf.Tensor;
  /** Spent reading or building the caches. */
  seconds: number;
}

export interface FeatureCacheArgs {
  o: TrainStep;
  stages: number;
  /** In the first stage's training state (freezing and BN policy applied). */
  model: tf.LayersModel;
  manifest: Manifest;
  feed: LabelledFeed;
  valFeed?: LabelledFeed;
  home: string;
  env: StepEnv;
}

/** The cache's options that contradict each other, refused before anything loads. */
export function checkFeatureCacheOptions(o: TrainStep): void {
  if (o.featureCacheViews !== undefined && !o.augment) throw new InputError(`--feature-cache-views ${o.featureCacheViews}: views are augmented copies, and --no-augment has none; drop one of the two`);
  if (o.featureCacheViews !== undefined && o.featureCache === 'off') throw new InputError(`--feature-cache-views ${o.featureCacheViews}: the views are the cache's, and --feature-cache is off; drop one of the two`);
}

export async function planFeatureCache(a: FeatureCacheArgs): Promise<CachedRun | FeatureCacheStatus> {
  const { o, env } = a;
  if (o.featureCache === 'off') return 'off';
  const split = a.stages > 1 ? { reason: 'a run in stages changes what trains from stage to stage' } : splitForCache(a.model);
  if ('reason' in split) {
    if (o.featureCache === 'on') throw new InputError(`--feature-cache on: cannot apply: ${split.reason}`);
    return 'n/a';
  }
  for (const note of await recoverFeatureCaches(a.home)) env.log(note);
  const hash = backboneHash(split.backbone);
  const augment: CachedAugment = o.augment
    ? { kind: 'views', views: o.featureCacheViews ?? DEFAULT_CACHE_VIEWS, seed: o.seed, flip: a.manifest.augment.flip, cropScale: a.manifest.augment.cropScale }
    : { kind: 'none' };
  const cache = (folder: FolderToCache, augmentation: CachedAugment) => cachedFeatures({
    home: a.home, split, backboneHash: hash, folder, manifest: a.manifest, augment: augmentation, signal: env.signal,
  });
  const folderOf = (feed: LabelledFeed): FolderToCache => ({ root: feed.dataset.root, items: feed.items, loader: feed.loader });
  const train = await cache(folderOf(a.feed), augment);
  for (const bad of train.table.skipped) a.feed.badFiles.add(bad.path, bad.reason);
  const views = augment.kind === 'none' ? '' : ` × ${augment.views} augmented views (each epoch shows one; fresh augmentation needs --feature-cache off)`;
  env.log(cacheNote('', train, views));
  const val = a.valFeed ? await cache(folderOf(a.valFeed), { kind: 'none' }) : null;
  if (val && a.valFeed) {
    for (const bad of val.table.skipped) a.valFeed.badFiles.add(bad.path, bad.reason);
    env.log(cacheNote('validation ', val, ''));
  }
  const labelsOf = (feed: LabelledFeed) => Int32Array.from(feed.items, (it) => it.label ?? -1);
  return {
    status: train.status,
    head: split.head,
    source: featureSource(train.table, { batchSize: o.batch, shuffle: o.shuffle, seed: o.seed, labels: labelsOf(a.feed) }),
    ...(val && a.valFeed ? { valSource: featureSource(val.table, { batchSize: 64, shuffle: false, seed: 0, labels: labelsOf(a.valFeed) }) } : {}),
    input: (batch) => tf.tensor(batch.x, [batch.n, ...split.shape]),
    seconds: train.seconds + (val?.seconds ?? 0),
  };
}

function cacheNote(what: string, c: CachedFeatures, views: string): string {
  const images = c.table.present.reduce((s, p) => s + p, 0);
  return c.status === 'hit'
    ? `${what}feature cache: hit, ${images} images${views}`
    : `${what}feature cache: built ${images} images${views} (${c.seconds.toFixed(1)} s)`;
}
