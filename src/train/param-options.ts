// What the optimizer is told about each variable besides its gradient: its rate multiplier
// (discriminative rates by layer group) and whether weight decay spares it.
import type { tf } from '../engine/tf.js';
import type { LayerGroup } from '../models/groups.js';
import { leafLayers } from '../models/layer-walk.js';
import { parseLrMultipliers } from './lr-multipliers.js';
import type { OptimizerOptions } from './optimizers.js';

/**
 * `noDecay`: the variables of rank ≤ 1 among `variables`, i.e. biases and BN gamma and beta,
 * which the usual convention never decays. `lrScale`, with `lrMult`: each trainable variable of
 * a group's layers takes the group's multiplier (layers outside every group are the head's).
 */
export function variableOptions(
  model: tf.LayersModel, groups: readonly LayerGroup[], trainingGroups: readonly string[], variables: readonly tf.Variable[], lrMult?: string,
): Pick<OptimizerOptions, 'noDecay' | 'lrScale'> {
  const noDecay = new Set(variables.filter((v) => v.rank <= 1).map((v) => v.name));
  if (lrMult === undefined) return { noDecay };
  const multipliers = parseLrMultipliers(lrMult, trainingGroups, groups.map((g) => g.name));
  const groupOf = new Map(groups.flatMap((g) => g.layers.map((l) => [l, g.name] as const)));
  const lrScale = new Map<string, number>();
  for (const layer of leafLayers(model)) {
    const multiplier = multipliers.get(groupOf.get(layer.name) ?? 'head');
    if (multiplier === undefined) continue;
    for (const w of layer.trainableWeights) lrScale.set((w.read() as tf.Variable).name, multiplier);
  }
  return { noDecay, lrScale };
}
