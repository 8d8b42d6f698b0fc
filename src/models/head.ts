// Head surgery: keep a network up to a layer and put a new classifier on it.
import { tf } from '../engine/tf.js';
import { InputError } from '../errors.js';
import { containsLayer, isContainer, leafLayers } from './layer-walk.js';

type SymbolicTensor = tf.SymbolicTensor;

const POOLING = new Set(['GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'Flatten']);

/** The last global pooling (or flatten) layer: where a classifier head begins. */
export function defaultCut(model: tf.LayersModel): string {
  const layers = leafLayers(model);
  for (let i = layers.length - 1; i >= 0; i--) if (POOLING.has(layers[i]!.getClassName())) return layers[i]!.name;
  if (layers.length < 2) throw new InputError('model has no layer to cut at: give --cut LAYER');
  return layers[layers.length - 2]!.name;
}

/**
 * Applies `container` to `input` up to and including the layer named `cut`. Sequential
 * containers are walked layer by layer, so the cut may sit inside nested models; inside a
 * functional graph the cut must be one of its own layers.
 */
function applyUpTo(container: tf.LayersModel, input: SymbolicTensor, cut: string): { output: SymbolicTensor; reached: boolean } {
  const own = container.layers.find((l) => l.name === cut);
  const sequential = container instanceof tf.Sequential;
  if (!sequential) {
    if (own) {
      const truncated = tf.model({ inputs: container.inputs, outputs: own.output as SymbolicTensor });
      return { output: truncated.apply(input) as SymbolicTensor, reached: true };
    }
    if (containsLayer(container, cut)) {
      throw new InputError(`--cut ${cut}: the layer sits in a model nested inside a functional graph; cut at a layer of '${container.name}' instead`);
    }
    return { output: container.apply(input) as SymbolicTensor, reached: false };
  }
  let x = input;
  for (const layer of container.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    if (isContainer(layer) && containsLayer(layer, cut)) return { output: applyUpTo(layer, x, cut).output, reached: true };
    x = layer.apply(x) as SymbolicTensor;
    if (layer.name === cut) return { output: x, reached: true };
  }
  return { output: x, reached: false };
}

/** A new model sharing the backbone's weights up to `cut`, with a fresh dense head. */
export function replaceHead(model: tf.LayersModel, numClasses: number, cut = defaultCut(model)): tf.LayersModel {
  if (!leafLayers(model).some((l) => l.name === cut)) throw new InputError(`--cut ${cut}: no layer of that name in the model`);
  const input = tf.input({ shape: model.inputs[0]!.shape.slice(1) as number[], name: 'input' });
  const { output } = applyUpTo(model, input, cut);
  let features = output;
  if (features.shape.length === 4) features = tf.layers.globalAveragePooling2d({ name: 'head_pool' }).apply(features) as SymbolicTensor;
  else if (features.shape.length !== 2) features = tf.layers.flatten({ name: 'head_flatten' }).apply(features) as SymbolicTensor;
  const logits = tf.layers.dense({ name: 'head_logits', units: numClasses, kernelInitializer: 'glorotUniform' }).apply(features) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: `${model.name}_retargeted` });
}
