// Where a network's classifier begins, read from layer descriptions. Most exports end in global
// pooling and a dense layer; Darknet and SqueezeNet classify with a 1×1 convolution whose
// channels are the classes, and pool afterwards.
import { channels, hasWeights, type LayerInfo } from './layer-info.js';

export const GLOBAL_POOLING = new Set(['GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'Flatten']);
const ACTIVATIONS = new Set(['Activation', 'ReLU', 'LeakyReLU', 'Softmax', 'ELU', 'PReLU']);

/** Index of the convolution that classifies before the pooling at `pool`, or -1. */
function convClassifierBefore(layers: readonly LayerInfo[], pool: number): number {
  if (layers.slice(pool + 1).some(hasWeights)) return -1;
  let i = pool - 1;
  while (i >= 0 && ACTIVATIONS.has(layers[i]!.className)) i--;
  const conv = layers[i];
  const outputs = channels(layers[layers.length - 1]!);
  return conv?.className === 'Conv2D' && outputs !== null && channels(conv) === outputs ? i : -1;
}

/**
 * First layer of the head: the classifying 1×1 convolution when the network pools after it,
 * else the last global pooling (or flatten), else the last layer.
 */
export function headStart(layers: readonly LayerInfo[]): number {
  let pool = -1;
  for (let i = layers.length - 1; i >= 0; i--) if (GLOBAL_POOLING.has(layers[i]!.className)) { pool = i; break; }
  if (pool < 0) return Math.max(0, layers.length - 1);
  const conv = convClassifierBefore(layers, pool);
  return conv >= 0 ? conv : pool;
}

export type ClassifierKind = 'dense' | 'conv-before-pooling';

/** The layer whose rows are the classes: the last dense layer, or the classifying convolution. */
export function findClassifier(layers: readonly LayerInfo[]): { index: number; kind: ClassifierKind } | null {
  const start = headStart(layers);
  const first = layers[start];
  if (first?.className === 'Conv2D') return { index: start, kind: 'conv-before-pooling' };
  for (let i = layers.length - 1; i >= start; i--) if (layers[i]!.className === 'Dense') return { index: i, kind: 'dense' };
  return null;
}
