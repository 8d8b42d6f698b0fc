// Head surgery: keep a network up to a layer and put a new classifier on it.
import { tf } from '../engine/tf.js';
import { InputError } from '../errors.js';
import { classifierFromRows, readClassMap, resolveClassMap, type ClassMapping } from './class-map.js';
import type { Manifest } from './manifest.js';
import { findClassifier, GLOBAL_POOLING, headStart } from './classifier.js';
import { containsLayer, describeLayers, isContainer, leafLayers } from './layer-walk.js';
import { fuseBatchNormActivations } from './bn-activation-fusion.js';

type SymbolicTensor = tf.SymbolicTensor;

/**
 * Where a new head goes: at the global pooling (or flatten) that starts the old head, kept;
 * before a classifying convolution that pools afterwards; else before the last layer.
 */
export function defaultCut(model: tf.LayersModel): string {
  const layers = leafLayers(model);
  const start = headStart(describeLayers(model));
  if (GLOBAL_POOLING.has(layers[start]!.getClassName())) return layers[start]!.name;
  if (start < 1) throw new InputError('model has no layer to cut at: give --cut LAYER');
  return layers[start - 1]!.name;
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

/** Features at `cut`, pooled to a vector when they are a feature map. */
function featuresAt(model: tf.LayersModel, cut: string): { input: SymbolicTensor; features: SymbolicTensor } {
  if (!leafLayers(model).some((l) => l.name === cut)) throw new InputError(`--cut ${cut}: no layer of that name in the model`);
  const input = tf.input({ shape: model.inputs[0]!.shape.slice(1) as number[], name: 'input' });
  let features = applyUpTo(model, input, cut).output;
  if (features.shape.length === 4) features = tf.layers.globalAveragePooling2d({ name: 'head_pool' }).apply(features) as SymbolicTensor;
  else if (features.shape.length !== 2) features = tf.layers.flatten({ name: 'head_flatten' }).apply(features) as SymbolicTensor;
  return { input, features };
}

/**
 * The new model shares the old one's layers, fused when it was loaded; a cut at a BN layer
 * exposes that layer's output, which must then come out unactivated.
 */
function fused(model: tf.LayersModel): tf.LayersModel {
  fuseBatchNormActivations(model);
  return model;
}

/** A fresh head's kernel, drawn from `seed` so that a run's --seed reproduces it. */
const headInit = (seed: number) => tf.initializers.glorotUniform({ seed });

/** A new model sharing the backbone's weights up to `cut`, with a fresh dense head. */
export function replaceHead(model: tf.LayersModel, numClasses: number, cut = defaultCut(model), seed = 0): tf.LayersModel {
  const { input, features } = featuresAt(model, cut);
  const logits = tf.layers.dense({ name: 'head_logits', units: numClasses, kernelInitializer: headInit(seed) }).apply(features) as SymbolicTensor;
  return fused(tf.model({ inputs: input, outputs: logits, name: `${model.name}_retargeted` }));
}

/**
 * A new dense head for `classes` that starts from the old classifier's rows: `mapping` says
 * which old row each new class takes; classes without one start fresh. The head sits where the
 * old classifier read its features. A 1×1 convolution that classifies before global average
 * pooling becomes the equivalent dense layer after it: both are linear, so they commute.
 * Outputs are logits (an old softmax is dropped, which keeps every argmax).
 */
export function headFromClassifier(model: tf.LayersModel, classes: readonly string[], mapping: readonly ClassMapping[], seed = 0): tf.LayersModel {
  const layers = leafLayers(model);
  const found = findClassifier(describeLayers(model));
  if (!found || found.index < 1) throw new InputError('--class-map: cannot find the model\'s classifier (a dense layer, or a 1×1 convolution before global pooling)');
  const classifier = layers[found.index]!;
  const [kernel, bias] = classifier.getWeights();
  const kshape = kernel!.shape;
  if (found.kind === 'conv-before-pooling' && (kshape[0] !== 1 || kshape[1] !== 1)) {
    throw new InputError(`--class-map: the classifier '${classifier.name}' is a ${kshape[0]}×${kshape[1]} convolution; only a 1×1 one equals a dense layer after pooling`);
  }
  const oldClasses = kshape[kshape.length - 1]!;
  const { input, features } = featuresAt(model, layers[found.index - 1]!.name);
  const width = features.shape[1];
  if (width !== kshape[kshape.length - 2]) throw new InputError(`--class-map: the classifier '${classifier.name}' does not read the layer before it`);
  const dense = tf.layers.dense({ name: 'head_logits', units: classes.length, kernelInitializer: headInit(seed) });
  const logits = dense.apply(features) as SymbolicTensor;
  const rowOf = new Map(mapping.map((m) => [m.newClass, m.oldIndex]));
  const [freshKernel, freshBias] = dense.getWeights();
  const merged = classifierFromRows(
    { kernel: kernel!.dataSync() as Float32Array, bias: (bias?.dataSync() as Float32Array | undefined) ?? null, classes: oldClasses },
    { kernel: freshKernel!.dataSync() as Float32Array, bias: freshBias!.dataSync() as Float32Array },
    classes.map((c) => rowOf.get(c) ?? null),
  );
  const weights = [tf.tensor2d(merged.kernel, [width!, classes.length]), tf.tensor1d(merged.bias)];
  dense.setWeights(weights);
  tf.dispose(weights);
  return fused(tf.model({ inputs: input, outputs: logits, name: `${model.name}_retargeted` }));
}

/**
 * With a class map, the model answers only among the mapped classes, under their new names:
 * the old classifier's rows for them, as logits (a softmax over all classes keeps the argmax).
 */
export async function restrictToClassMap(model: tf.LayersModel, manifest: Manifest, classMap: string | Record<string, string> | undefined): Promise<{ model: tf.LayersModel; manifest: Manifest }> {
  if (classMap === undefined) return { model, manifest };
  const mapping = resolveClassMap(await readClassMap(classMap), manifest.classes);
  const classes = mapping.map((m) => m.newClass);
  return { model: headFromClassifier(model, classes, mapping), manifest: { ...manifest, classes, output: 'logits' } };
}
