// What a person choosing a model to fine-tune needs to see, as plain JSON: its groups with their
// layers, BN layers, parameters and activation sizes, its input and its preprocessing with where
// that came from. Pure over a manifest and layer descriptions, so `models show` and the TUI agree.
import type { LayerInfo } from './layer-info.js';
import type { Manifest } from './manifest.js';
import { describePreprocessing, manifestPreprocessingSource } from './preprocessing.js';

export interface GroupSummary {
  name: string;
  /** Layer names, input to output. */
  layers: string[];
  bnLayers: number;
  params: number;
  /** Output elements per image summed over the group's layers: what training keeps per image. */
  activations: number;
}

export interface ModelSummary {
  id: string;
  path: string;
  inputShape: [number, number, number];
  /** e.g. "[-1,1]" or "ImageNet mean/std". */
  preprocessing: string;
  /** Where the preprocessing came from, in words. */
  preprocessingSource: string;
  /** Nothing stated the preprocessing; it was guessed. */
  preprocessingGuessed: boolean;
  classes: string[];
  bnLayers: number;
  params: number;
  groups: GroupSummary[];
}

/** Group name per layer. */
export function groupOf(manifest: Pick<Manifest, 'groups'>): Map<string, string> {
  return new Map(manifest.groups.flatMap((g) => g.layers.map((l) => [l, g.name] as const)));
}

function outputElements(layer: LayerInfo): number {
  return (layer.outputShape ?? []).slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);
}

export function summariseModel(manifest: Manifest, layers: readonly LayerInfo[], path: string): ModelSummary {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const groups = manifest.groups.map((g) => {
    const members = g.layers.map((name) => byName.get(name)).filter((l): l is LayerInfo => l !== undefined);
    return {
      name: g.name,
      layers: g.layers,
      bnLayers: members.filter((l) => l.className === 'BatchNormalization').length,
      params: members.reduce((s, l) => s + (l.params ?? 0), 0),
      activations: members.reduce((s, l) => s + outputElements(l), 0),
    };
  });
  return {
    id: manifest.id,
    path,
    inputShape: manifest.inputShape,
    preprocessing: describePreprocessing(manifest.preprocessing),
    preprocessingSource: manifestPreprocessingSource(manifest),
    preprocessingGuessed: manifest.preprocessingSource === 'guess',
    classes: manifest.classes,
    bnLayers: manifest.bnLayers,
    params: layers.reduce((s, l) => s + (l.params ?? 0), 0),
    groups,
  };
}
