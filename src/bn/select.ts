// Which BN layers a command acts on: all of them, or those of the named layer groups.
import { InputError } from '../errors.js';
import type { tf } from '../engine/tf.js';
import type { LayerGroup } from '../models/groups.js';
import { leafLayers } from '../models/layer-walk.js';
import { isBatchNorm, type CalibraBatchNorm } from './batch-norm-layer.js';

/** In network order. An unknown group, or groups without BN layers, is an InputError naming `flag`. */
export function batchNormsInGroups(model: tf.LayersModel, groups: readonly LayerGroup[], wanted: readonly string[] | undefined, flag = '--groups'): CalibraBatchNorm[] {
  const all = leafLayers(model).filter(isBatchNorm);
  if (wanted === undefined) return all;
  const names = groups.map((g) => g.name);
  const unknown = wanted.filter((w) => !names.includes(w));
  if (unknown.length > 0) throw new InputError(`${flag} ${wanted.join(',')}: no group '${unknown[0]}' in this model; its groups are ${names.join(', ')}`);
  const layerNames = new Set(groups.filter((g) => wanted.includes(g.name)).flatMap((g) => g.layers));
  const chosen = all.filter((l) => layerNames.has(l.name));
  if (chosen.length === 0) throw new InputError(`${flag} ${wanted.join(',')}: these groups hold no BN layers`);
  return chosen;
}

/** The group each layer belongs to, by name; layers outside every group map to nothing. */
export function groupOfLayer(groups: readonly LayerGroup[]): Map<string, string> {
  return new Map(groups.flatMap((g) => g.layers.map((l) => [l, g.name] as const)));
}
