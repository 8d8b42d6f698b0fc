// Turns a fine-tuning strategy (which groups train, what BN does) into layer state, and returns
// the variables the optimizer may touch.
import { tf } from '../engine/tf.js';
import { isBatchNorm, type CalibraBatchNorm } from '../bn/batch-norm-layer.js';
import type { BnAffineMode, BnStatsMode } from '../bn/batch-norm-policy.js';
import { trainableGroups, type FreezeSpec, type LayerGroup } from '../models/groups.js';
import { leafLayers } from '../models/layer-walk.js';
import { groupBnPolicies, type BnPlan } from './bn-plan.js';

export interface StrategyArgs {
  freeze: FreezeSpec;
  /** For BN layers in groups that train. BN in frozen groups always freezes stats and affine. */
  bnStats: BnStatsMode;
  bnAffine: BnAffineMode;
  bnMomentum?: number;
  bnEpsilon?: number;
  /** Overrides of the four settings above, for all training groups and per group. */
  bn?: BnPlan;
}

export interface AppliedStrategy {
  variables: tf.Variable[];
  trainableGroups: string[];
  trainableParams: number;
  totalParams: number;
  /** BN layers that normalise with batch statistics in training. */
  batchNormUpdating: number;
  /** BN layers whose statistics are to be re-estimated from the new data before training. */
  resetLayers: string[];
}

function countParams(vs: readonly { shape: readonly (number | null)[] }[]): number {
  return vs.reduce((s, v) => s + v.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return leafLayers(model).flatMap((layer) => layer.trainableWeights.map((w) => w.read() as tf.Variable));
}

export function applyStrategy(model: tf.LayersModel, groups: readonly LayerGroup[], args: StrategyArgs): AppliedStrategy {
  const training = trainableGroups(groups, args.freeze);
  const groupOf = new Map(groups.flatMap((g) => g.layers.map((l) => [l, g.name] as const)));
  const policies = groupBnPolicies(groups.map((g) => g.name), training, {
    stats: args.bnStats, affine: args.bnAffine, momentum: args.bnMomentum, epsilon: args.bnEpsilon,
  }, args.bn);
  let batchNormUpdating = 0;
  const resetLayers: string[] = [];
  for (const layer of leafLayers(model)) {
    const group = groupOf.get(layer.name) ?? 'head';
    layer.trainable = training.has(group);
    if (isBatchNorm(layer)) {
      layer.applyPolicy(policies.get(group) ?? { stats: 'freeze', affine: 'freeze' });
      if (layer.statsMode !== 'freeze') batchNormUpdating++;
      if (layer.statsMode === 'reset') resetLayers.push(layer.name);
    }
  }
  const variables = trainableVariables(model);
  return {
    variables,
    trainableGroups: groups.map((g) => g.name).filter((n) => training.has(n)),
    trainableParams: countParams(variables),
    totalParams: countParams(model.weights),
    batchNormUpdating,
    resetLayers,
  };
}

/**
 * TENT's strategy: every layer frozen but BN's gamma and beta, and BN normalising with batch
 * statistics in training. Whether the moving statistics move is the caller's choice (layer
 * hooks), not the strategy's.
 */
export function applyTentStrategy(model: tf.LayersModel): AppliedStrategy {
  const bn: CalibraBatchNorm[] = [];
  for (const layer of leafLayers(model)) {
    layer.trainable = isBatchNorm(layer);
    if (isBatchNorm(layer)) {
      layer.applyPolicy({ stats: 'update', affine: 'train' });
      bn.push(layer);
    }
  }
  const variables = trainableVariables(model);
  return {
    variables,
    trainableGroups: [],
    trainableParams: countParams(variables),
    totalParams: countParams(model.weights),
    batchNormUpdating: bn.length,
    resetLayers: [],
  };
}

/** The BN layers that normalise with batch statistics when the model is called in training. */
export function updatingBatchNorms(model: tf.LayersModel): CalibraBatchNorm[] {
  return leafLayers(model).filter(isBatchNorm).filter((l) => l.statsMode !== 'freeze');
}
