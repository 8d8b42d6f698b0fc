// What grouping, architecture recognition and `models show` need to know about a layer, as
// plain data, so those functions are pure and tested without tfjs.

export interface LayerInfo {
  name: string;
  className: string;
  /** Output shape with the batch axis, e.g. [null, 56, 56, 48]; absent when unknown. */
  outputShape?: readonly (number | null)[];
  /** Weights in the layer (trainable or not); absent when unknown. */
  params?: number;
}

const WEIGHTED_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'Dense', 'BatchNormalization']);

export function hasWeights(layer: LayerInfo): boolean {
  return layer.params !== undefined ? layer.params > 0 : WEIGHTED_CLASSES.has(layer.className);
}

/** Height of a 4-D output, or null for anything else (pooled vectors, unknown shapes). */
export function spatialSize(layer: LayerInfo): number | null {
  const s = layer.outputShape;
  return s && s.length === 4 && typeof s[1] === 'number' ? s[1] : null;
}

/** Size of the last axis: channels of a feature map, units of a vector. */
export function channels(layer: LayerInfo): number | null {
  const last = layer.outputShape?.[layer.outputShape.length - 1];
  return typeof last === 'number' ? last : null;
}
