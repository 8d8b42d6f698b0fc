// Cached features on disk, one folder per key under $CALIBRA_HOME/feature-cache: features.bin
// (float32, views × images × dim) and manifest.json, swapped in whole by the journalled folder
// write, so a killed build leaves at most a hidden partial folder that is never read.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDirAtomically, writeFileDurably } from '../../util/atomic.js';
import { recoverInterrupted } from '../../util/interrupted-writes.js';
import { killPoint } from '../../util/kill-point.js';
import { FEATURE_CACHE_FORMAT, type FeatureCacheParts } from './key.js';
import type { FeatureTable } from './table.js';

export interface StoredFeatures extends FeatureTable {
  /** Images that did not decode when the cache was built, with why. */
  readonly skipped: readonly { path: string; reason: string }[];
}

interface StoreManifest {
  format: number;
  key: string;
  parts: FeatureCacheParts;
  views: number;
  dim: number;
  /** Relative to the image folder, in table order. */
  images: string[];
  present: number[];
  skipped: { path: string; reason: string }[];
}

export function featureCacheRoot(home: string): string {
  return join(home, 'feature-cache');
}

/** Finishes or removes what killed builds left; returns one note per action. */
export function recoverFeatureCaches(home: string): Promise<string[]> {
  return recoverInterrupted(featureCacheRoot(home));
}

/**
 * The table stored under `key` for exactly these images, or null when there is none or it does
 * not describe them (then it is rebuilt over).
 */
export async function readFeatures(home: string, key: string, images: readonly string[]): Promise<StoredFeatures | null> {
  const dir = join(featureCacheRoot(home), key);
  let manifest: StoreManifest;
  let bytes: Buffer;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as StoreManifest;
    bytes = await readFile(join(dir, 'features.bin'));
  } catch {
    return null;
  }
  const n = images.length;
  const fits = manifest.format === FEATURE_CACHE_FORMAT && manifest.key === key && Number.isInteger(manifest.views) && manifest.views >= 1
    && Number.isInteger(manifest.dim) && manifest.dim >= 1 && Array.isArray(manifest.images) && manifest.images.length === n
    && manifest.images.every((p, i) => p === images[i]) && Array.isArray(manifest.present) && manifest.present.length === n
    && bytes.byteLength === manifest.views * n * manifest.dim * 4;
  if (!fits) return null;
  const data = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(data.buffer).set(bytes);
  return { data, views: manifest.views, images: n, dim: manifest.dim, present: Uint8Array.from(manifest.present), skipped: manifest.skipped ?? [] };
}

export async function writeFeatures(home: string, key: string, parts: FeatureCacheParts, images: readonly string[], table: StoredFeatures): Promise<void> {
  const manifest: StoreManifest = {
    format: FEATURE_CACHE_FORMAT, key, parts, views: table.views, dim: table.dim,
    images: [...images], present: Array.from(table.present), skipped: [...table.skipped],
  };
  await writeDirAtomically(join(featureCacheRoot(home), key), async (dir) => {
    await writeFileDurably(join(dir, 'features.bin'), new Uint8Array(table.data.buffer, table.data.byteOffset, table.data.byteLength));
    killPoint('feature-cache:filling');
    await writeFileDurably(join(dir, 'manifest.json'), JSON.stringify(manifest) + '\n');
  }, { label: 'feature-cache' });
}
