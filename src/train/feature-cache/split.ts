// Where a model in its training state splits into a frozen part, whose output can be cached, and
// a head that trains on that output. The split is at the first top-level layer that trains,
// updates BN statistics or draws random numbers (dropout): everything before it computes the
// same function in every epoch, and the head must be a plain chain so it can be re-applied to
// cached features. The head model shares the full model's layers, so training it trains them.
import { createHash } from 'node:crypto';
import { tf } from '../../engine/tf.js';
import { isBatchNorm } from '../../bn/batch-norm-layer.js';
import { isContainer, leafLayers } from '../../models/layer-walk.js';

export interface FeatureSplit {
  /** Input → the cached features; run in inference mode. */
  backbone: tf.LayersModel;
  /** Cached features → the model's output. */
  head: tf.LayersModel;
  /** The frozen layer whose output is cached. */
  cut: string;
  /** One image's cached features, without the batch axis. */
  shape: number[];
  /** Values per image in the cached features. */
  dim: number;
}

/** Layers that behave randomly in training, so their output cannot be computed once. */
const STOCHASTIC = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

const leaves = (layer: tf.layers.Layer): tf.layers.Layer[] => (isContainer(layer) ? leafLayers(layer) : [layer]);

function trains(leaf: tf.layers.Layer): boolean {
  return leaf.trainableWeights.length > 0 || (isBatchNorm(leaf) && leaf.statsMode !== 'freeze');
}

/** Why the model cannot be split, in words that finish "the feature cache cannot apply: …". */
function whyNot(model: tf.LayersModel): string | FeatureSplit {
  const top = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const first = top.findIndex((l) => leaves(l).some((leaf) => trains(leaf) || STOCHASTIC.has(leaf.getClassName())));
  if (first < 0) return 'nothing in the model trains';
  const frozen = top.slice(0, first);
  if (!frozen.some((l) => l.countParams() > 0)) {
    const culprit = leaves(top[first]!).find((leaf) => trains(leaf) || STOCHASTIC.has(leaf.getClassName()))!;
    const what = STOCHASTIC.has(culprit.getClassName()) ? `'${culprit.name}' (${culprit.getClassName()}) is random in training` : `'${culprit.name}' trains`;
    return `${what}, so no frozen part precedes it (the cache needs --freeze backbone, whose BN statistics never move)`;
  }
  const head = top.slice(first);
  for (const [i, layer] of head.entries()) {
    const nodes = layer.inboundNodes;
    const chained = nodes.length === 1 && nodes[0]!.inboundLayers.length === 1 && (i === 0 || nodes[0]!.inboundLayers[0] === head[i - 1]);
    if (!chained) return `the head is not a single chain of layers at '${layer.name}'`;
  }
  if (model.outputs.length !== 1 || model.outputs[0]!.sourceLayer !== head[head.length - 1]) return 'the model\'s output is not the end of its head';
  const features = head[0]!.inboundNodes[0]!.inputTensors[0]!;
  const shape = features.shape.slice(1) as number[];
  const backbone = tf.model({ inputs: model.inputs, outputs: features });
  const input = tf.input({ shape, name: 'cached_features' });
  const output = head.reduce<tf.SymbolicTensor>((x, layer) => layer.apply(x) as tf.SymbolicTensor, input);
  return { backbone, head: tf.model({ inputs: input, outputs: output }), cut: features.sourceLayer.name, shape, dim: shape.reduce((a, b) => a * b, 1) };
}

export function splitForCache(model: tf.LayersModel): FeatureSplit | { reason: string } {
  const found = whyNot(model);
  return typeof found === 'string' ? { reason: found } : found;
}

/** Identifies the frozen part's function: its layers' configurations and its weights' values. */
export function backboneHash(backbone: tf.LayersModel): string {
  const h = createHash('sha256');
  for (const layer of leafLayers(backbone)) h.update(`${layer.getClassName()}\t${JSON.stringify(layer.getConfig())}\n`);
  for (const w of backbone.weights) {
    const values = w.read().dataSync() as Float32Array;
    h.update(`${w.shape.join('x')}\n`).update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return h.digest('hex').slice(0, 16);
}
