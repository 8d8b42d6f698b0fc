// The one place a manifest is put together, whether derived for a model that came without one,
// written by a step that made a model from another, or written by the pretraining script: what
// the graph says of itself (its layer groups and BN layers) is read from the model, the rest is
// given, and a made model's manifest inherits its parent's and records where it came from.
import { basename } from 'node:path';
import type { tf } from '../engine/tf.js';
import { isBatchNorm } from '../bn/batch-norm-layer.js';
import { groupLayers, type LayerGroup } from './groups.js';
import { describeLayers, leafLayers } from './layer-walk.js';
import type { Manifest } from './manifest.js';

export function modelGroups(model: tf.LayersModel): LayerGroup[] {
  return groupLayers(describeLayers(model));
}

export function countBatchNorm(model: tf.LayersModel): number {
  return leafLayers(model).filter(isBatchNorm).length;
}

/** What a manifest says that the graph does not (the content hash comes when the model is saved). */
export type ManifestFacts = Omit<Manifest, 'format' | 'version' | 'groups' | 'bnLayers' | 'contentHash'>;

export function buildManifest(model: tf.LayersModel, facts: ManifestFacts): Omit<Manifest, 'contentHash'> {
  return { format: 'calibra-model', version: 1, ...facts, groups: modelGroups(model), bnLayers: countBatchNorm(model) };
}

/** How a step made a model from its parent. */
export interface Making {
  /** The folder it is saved to, whose name becomes the model's id. */
  out: string;
  description: string;
  recipe: Record<string, unknown>;
  /** Where its BN moving statistics now come from. */
  bnStatistics: string;
  /** Identifies the images it was made with. */
  dataset: string;
}

/**
 * The manifest of a model made from `parent`: the parent's input, preprocessing, classes and
 * augmentation (give a `parent` with the new classes where the head changed), with the making
 * recorded. It is written to disk, so it is itself the source of its preprocessing from now on.
 */
export function madeManifest(model: tf.LayersModel, parent: Manifest, making: Making): Omit<Manifest, 'contentHash'> {
  const { format: _format, version: _version, groups: _groups, bnLayers: _bnLayers, contentHash, preprocessingSource: _source, resizeSource: _resizeSource, ...inherited } = parent;
  return buildManifest(model, {
    ...inherited,
    id: basename(making.out) || 'model',
    description: making.description,
    recipe: making.recipe,
    bnStatistics: making.bnStatistics,
    lineage: { parent: contentHash, dataset: making.dataset },
  });
}
