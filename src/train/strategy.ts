// Turns a fine-tuning strategy (which groups train, what BN does) into layer state, and returns
// the variables the optimizer may touch.
import { tf } from '../engine/tf.js';
import { isBatchNorm } from '../bn/batch-norm-layer.js';
import type { BnAffineMode, BnStatsMode } from '../bn/batch-norm-policy.js';
import { trainableGroups, type FreezeSpec, type LayerGroup } from '../models/groups.js';
import { leafLayers } from '../models/layer-walk.js';

export interface StrategyArgs {
  freeze: FreezeSpec;
  /** For BN layers in groups that train. BN in frozen groups always freezes stats and affine. */
  bnStats: BnStatsMode;
  bnAffine: BnAffineMode;
  bnMomentum?: number;
}

export interface AppliedStrategy {
  variables: tf.Variable[];
  trainableGroups: string[];
  trainableParams: number;
  totalParams: number;
  /** BN layers that normalise with batch statistics in training. */
  batchNormUpdating: number;
}

export function applyStrategy(model: tf.LayersModel, groups: readonly LayerGroup[], args: StrategyArgs): AppliedStrategy {
  const training = trainableGroups(groups, args.freeze);
  const groupOf = new Map(groups.flatMap((g) => g.layers.map((l) => [l, g.name] as const)));
  const variables: tf.Variable[] = [];
  let batchNormUpdating = 0;
  for (const layer of leafLayers(model)) {
    const trains = training.has(groupOf.get(layer.name) ?? 'head');
    layer.trainable = trains;
    if (isBatchNorm(layer)) {
      layer.applyPolicy(trains
        ? { stats: args.bnStats, affine: args.bnAffine, momentum: args.bnMomentum }
        : { stats: 'freeze', affine: 'freeze' });
      if (layer.statsMode !== 'freeze') batchNormUpdating++;
    }
    for (const w of layer.trainableWeights) variables.push(w.read() as tf.Variable);
  }
  const count = (vs: readonly { shape: readonly (number | null)[] }[]) => vs.reduce((s, v) => s + v.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
  return {
    variables,
    trainableGroups: groups.map((g) => g.name).filter((n) => training.has(n)),
    trainableParams: count(variables),
    totalParams: count(model.weights),
    batchNormUpdating,
  };
}
