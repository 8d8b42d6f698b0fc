// Tensors that a BN layer returned with its fused activation already applied. The activation
// layer after it passes such an input through instead of applying itself again. Keying on the
// tensor rather than on a flag of the activation layer keeps that layer right whatever reaches
// it: an input from anywhere else (a BN layer not fused, activations restored from a cache) is
// a plain tensor, and the layer applies its activation as usual.
import type { Tensor } from '@tensorflow/tfjs-core';
import type { BnActivation } from '../engine/native/bn-activation.js';

const activated = new WeakMap<Tensor, BnActivation>();

export function markActivated(t: Tensor, activation: BnActivation): void {
  if (activation !== 'linear') activated.set(t, activation);
}

/**
 * Whether applying `activation` to `t` would change nothing because t is already the output of
 * one: ReLU after ReLU or ReLU6, ReLU6 after ReLU6 (both are idempotent, and ReLU keeps ReLU6's
 * values).
 */
export function isActivatedFor(t: Tensor, activation: BnActivation): boolean {
  const applied = activated.get(t);
  if (applied === undefined || activation === 'linear') return false;
  return applied === activation || activation === 'relu';
}
