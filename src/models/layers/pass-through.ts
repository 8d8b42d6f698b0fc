// The part of an activation layer that a fused BN layer (src/models/bn-activation-fusion.ts)
// has already done: an input marked as activated goes through unchanged.
import type { Tensor } from '@tensorflow/tfjs-core';

import { isActivatedFor } from '../../bn/activated-tensors.js';
import type { BnActivation } from '../../engine/native/bn-activation.js';
import { tf } from '../../engine/tf.js';

/**
 * `input` itself as a new tensor when `activation` would not change it, else undefined. A
 * reshape to the same shape shares the memory; tf.layers would copy an input returned as is.
 */
export function passedThrough(input: Tensor, activation: BnActivation | null): Tensor | undefined {
  if (activation === null || !isActivatedFor(input, activation)) return undefined;
  return tf.reshape(input, input.shape);
}
