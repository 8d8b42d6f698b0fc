// What a cached feature set depends on, and the key it is stored under. Pure: any change to any
// part gives a new key, so a stale cache is never found rather than detected after reading.
import { createHash } from 'node:crypto';
import type { Preprocessing } from '../../models/manifest.js';

/** Augmentation as the cache sees it: off, or `views` fixed augmented views per image. */
export type CachedAugment =
  | { kind: 'none' }
  | { kind: 'views'; views: number; seed: number; flip: boolean; cropScale: readonly [number, number] };

export interface FeatureCacheParts {
  /** Hash of the frozen part's topology and weights, up to and including `cut`. */
  backbone: string;
  /** The layer whose output is cached. */
  cut: string;
  /** imageFolderHash of the images, in the order the cache holds them. */
  images: string;
  preprocessing: Preprocessing;
  inputShape: readonly [number, number, number];
  augment: CachedAugment;
}

/** Bumped when what a cache folder holds changes meaning. */
export const FEATURE_CACHE_FORMAT = 1;

export function featureCacheKey(parts: FeatureCacheParts): string {
  const canonical = JSON.stringify([
    FEATURE_CACHE_FORMAT, parts.backbone, parts.cut, parts.images,
    parts.preprocessing.resize, parts.preprocessing.scale, parts.preprocessing.offset,
    parts.inputShape,
    parts.augment.kind === 'none' ? null : [parts.augment.views, parts.augment.seed, parts.augment.flip, parts.augment.cropScale],
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 24);
}
