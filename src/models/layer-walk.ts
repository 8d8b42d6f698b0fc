// Real exported models nest containers (a Teachable Machine model is Sequential → Sequential →
// Model), so reaching every BN layer means walking into them.
import { tf } from '../engine/tf.js';
import type { LayerInfo } from './layer-info.js';

export function isContainer(layer: tf.layers.Layer): layer is tf.LayersModel {
  return layer instanceof tf.LayersModel;
}

/** Leaf layers in graph order, depth first through nested models; input layers skipped. */
export function leafLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  for (const layer of model.layers) {
    if (isContainer(layer)) out.push(...leafLayers(layer));
    else if (layer.getClassName() !== 'InputLayer') out.push(layer);
  }
  return out;
}

export function findLayer(model: tf.LayersModel, name: string): tf.layers.Layer | undefined {
  return leafLayers(model).find((l) => l.name === name);
}

export function containsLayer(model: tf.LayersModel, name: string): boolean {
  return findLayer(model, name) !== undefined;
}

/** A layer's single output shape; undefined for several outputs, or when tfjs cannot say. */
function outputShapeOf(layer: tf.layers.Layer): (number | null)[] | undefined {
  try {
    const shape = layer.outputShape;
    return Array.isArray(shape[0]) ? undefined : shape as (number | null)[];
  } catch {
    // tfjs throws for a layer applied to inputs of different shapes.
    return undefined;
  }
}

/** Leaf layers as plain descriptions, for the pure functions that group and recognise them. */
export function describeLayers(model: tf.LayersModel): LayerInfo[] {
  return leafLayers(model).map((l) => ({ name: l.name, className: l.getClassName(), outputShape: outputShapeOf(l), params: l.countParams() }));
}
