// Runs a network in inference mode (every BN on its moving statistics) over images and records,
// for each BN layer, the population statistics of the input it really gets, next to the
// statistics it holds.
import { tf } from '../engine/tf.js';
import { flattenModel } from '../models/flat-graph.js';
import { leafLayers } from '../models/layer-walk.js';
import type { InputSource } from './adabn.js';
import { isBatchNorm, type CalibraBatchNorm } from './batch-norm-layer.js';
import { channelDrift, type DriftMeasures } from './drift.js';
import { batchMoments, emptyMoments, mergeMoments, momentsVariance, type ChannelMoments } from './moments.js';

export interface LayerDriftReport extends DriftMeasures {
  name: string;
  channels: number;
}

export interface DriftProbeResult {
  images: number;
  /** In network order. */
  layers: LayerDriftReport[];
}

/** BN layers in the order the network calls them (nested containers opened). */
export function batchNormsInOrder(model: tf.LayersModel): CalibraBatchNorm[] {
  const order = flattenModel(model).nodes.map((n) => n.layer);
  return leafLayers(model).filter(isBatchNorm).sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

export async function probeDrift(model: tf.LayersModel, source: InputSource, onBatch?: (imagesDone: number) => void): Promise<DriftProbeResult> {
  const layers = batchNormsInOrder(model);
  const seen = new Map<CalibraBatchNorm, ChannelMoments>(layers.map((l) => [l, emptyMoments(l.movingMean.shape[0]!)]));
  const saved = layers.map((l) => ({ layer: l, observer: l.observer, batchStatistics: l.batchStatistics }));
  let images = 0;
  try {
    for (const l of layers) {
      l.batchStatistics = false;
      l.observer = (layer, m) => seen.set(layer, mergeMoments(seen.get(layer)!, batchMoments(m.mean, m.variance, m.count)));
    }
    for await (const x of source()) {
      try {
        tf.dispose(model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[]);
      } finally {
        x.dispose();
      }
      images += x.shape[0]!;
      onBatch?.(images);
    }
  } finally {
    for (const s of saved) {
      s.layer.observer = s.observer;
      s.layer.batchStatistics = s.batchStatistics;
    }
  }
  if (images === 0) return { images, layers: [] };
  return {
    images,
    layers: layers.map((l) => {
      const m = seen.get(l)!;
      const held = { mean: l.movingMean.read().dataSync(), variance: l.movingVariance.read().dataSync() };
      return { name: l.name, channels: m.mean.length, ...channelDrift(held, { mean: m.mean, variance: momentsVariance(m) }, l.epsilon) };
    }),
  };
}
