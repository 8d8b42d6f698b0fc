// Train mode against inference mode on the same images. BN with batch statistics (the layers'
// batchStatistics flag, the model called with training:false so nothing moves) against BN with
// the moving statistics: a large gap means the moving statistics do not describe the data.
import type { tf } from '../engine/tf.js';
import { isBatchNorm } from '../bn/batch-norm-layer.js';
import type { Manifest } from '../models/manifest.js';
import { leafLayers } from '../models/layer-walk.js';
import type { Batch } from '../data/batches.js';
import { evaluate } from './evaluate.js';

/** Accuracy points (as a fraction) by which batch statistics must win to call for recalibration. */
export const BN_CHECK_GAP = 0.05;
/**
 * Batch statistics depend on which images share a batch, so the check shuffles with this fixed
 * seed: classes mix in every batch and the figure replays.
 */
export const BN_CHECK_SEED = 0;

export interface BnCheck {
  batchStatsAccuracy: number;
  movingStatsAccuracy: number;
  /** batchStatsAccuracy − movingStatsAccuracy. */
  gap: number;
  n: number;
  /** Images per batch for the batch statistics, shuffled with `seed`. */
  batch: number;
  seed: number;
  advice: string | null;
}

export interface BnCheckArgs {
  /** A fresh pass over the images, shuffled with BN_CHECK_SEED in batches of `batch`. */
  batches: () => AsyncIterable<Batch>;
  total: number;
  batch: number;
  /** How the person named the model and the images, for the advice. */
  modelRef: string;
  imagesRef: string;
}

/** Null for a model without BN layers. */
export async function bnCheck(model: tf.LayersModel, manifest: Manifest, args: BnCheckArgs): Promise<BnCheck | null> {
  const layers = leafLayers(model).filter(isBatchNorm);
  if (layers.length === 0) return null;
  const moving = await evaluate(model, manifest, args.batches(), args.total);
  const before = layers.map((l) => l.batchStatistics);
  for (const l of layers) l.batchStatistics = true;
  const batch = await evaluate(model, manifest, args.batches(), args.total).finally(() => {
    layers.forEach((l, i) => (l.batchStatistics = before[i]!));
  });
  const gap = batch.accuracy - moving.accuracy;
  const advice = gap > BN_CHECK_GAP
    ? `with batch statistics the model scores ${(100 * gap).toFixed(1)} points higher (${(100 * batch.accuracy).toFixed(1)}% against ${(100 * moving.accuracy).toFixed(1)}%): its moving BN statistics do not describe these images; run 'calibra recalibrate --model ${args.modelRef} --images ${args.imagesRef} --out DIR'`
    : null;
  return { batchStatsAccuracy: batch.accuracy, movingStatsAccuracy: moving.accuracy, gap, n: moving.n, batch: args.batch, seed: BN_CHECK_SEED, advice };
}
