// The graph pass that fuses each BN layer with the ReLU or ReLU6 layer after it: where a BN
// layer's output feeds exactly one consumer, and that consumer is a one-input ReLU, ReLU6 or
// Activation('relu' | 'relu6') layer, the BN layer applies the activation and the activation
// layer passes its input through. Forward and backward then each take one kernel where they
// took two, and the BN output before the activation is never kept for the backward pass.
//
// Fusion is a property of layer instances at run time, never saved: a saved model keeps both
// layers with their configs. Every model Calibra loads, builds or re-heads runs this pass.
import type { BnActivation } from '../engine/native/bn-activation.js';
import { tf } from '../engine/tf.js';
import { isBatchNorm, type CalibraBatchNorm } from '../bn/batch-norm-layer.js';
import { CalibraActivation } from './layers/activation-layer.js';
import { CalibraReLU } from './layers/relu-layer.js';
import type { GraphNode } from './flat-graph.js';
import { isContainer, leafLayers } from './layer-walk.js';

/**
 * BN layers whose output a model that ran this pass exposes (as its output, or a nested
 * model's). Layers are shared between a model and those made from it (a cut at a BN layer, for
 * one), so once any of them reads the BN output itself, the BN layer stays unfused in all.
 */
const exposed = new WeakSet<tf.layers.Layer>();

function nodesOf(layer: tf.layers.Layer, which: 'inboundNodes' | 'outboundNodes'): GraphNode[] {
  return (layer as unknown as Record<typeof which, GraphNode[]>)[which];
}

function containersIn(model: tf.LayersModel): tf.LayersModel[] {
  return [model, ...model.layers.filter(isContainer).flatMap(containersIn)];
}

function fusableActivation(layer: tf.layers.Layer): BnActivation | null {
  return layer instanceof CalibraReLU || layer instanceof CalibraActivation ? layer.fusableActivation : null;
}

/** The activation of the one layer that reads `bn`'s output, if it can be fused. */
function followingActivation(bn: CalibraBatchNorm): BnActivation | null {
  const inbound = nodesOf(bn, 'inboundNodes');
  const outbound = nodesOf(bn, 'outboundNodes');
  if (inbound.length !== 1 || outbound.length !== 1) return null;
  // The fused kernels normalise along the last axis.
  const rank = inbound[0]!.inputTensors[0]!.shape.length;
  if (bn.axis !== -1 && bn.axis !== rank - 1) return null;
  const consumer = outbound[0]!;
  if (consumer.inputTensors.length !== 1 || nodesOf(consumer.outboundLayer, 'inboundNodes').length !== 1) return null;
  return fusableActivation(consumer.outboundLayer);
}

/** Sets every BN layer of `model` fused or not; returns how many are fused. */
export function fuseBatchNormActivations(model: tf.LayersModel): number {
  const outputs = new Set(containersIn(model).flatMap((c) => c.outputs.map((t) => t.id)));
  let fused = 0;
  for (const layer of leafLayers(model)) {
    if (!isBatchNorm(layer)) continue;
    if (nodesOf(layer, 'inboundNodes').some((n) => n.outputTensors.some((t) => outputs.has(t.id)))) exposed.add(layer);
    const activation = exposed.has(layer) ? null : followingActivation(layer);
    layer.fusedActivation = activation ?? 'linear';
    if (activation !== null) fused++;
  }
  return fused;
}
