// Adam and AdamW on the addon (native/calibra_adam_update.cc): all of a step's variables in one
// call, each rewritten in place with its moments. Per variable, the JS kernel it replaces
// (src/engine/kernels/optimizer-updates.ts) allocated three tensors, ran its loop in JS and
// went through tfjs's dispatch, tidy and assign: on MobileNetV2 (158 variables) that was a few
// percent of a training step. The values are that kernel's to the bit.
import type { Tensor } from '@tensorflow/tfjs-core';

import { updateInPlace } from './rewrite-in-place.js';

export interface AdamStep {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − beta1^t and 1 − beta2^t for this step t. */
  correction1: number;
  correction2: number;
}

/** One variable's update: its tensors, rate and decays, as the per-variable kernel's attrs. */
export interface AdamVariableUpdate {
  param: Tensor;
  grad: Tensor;
  m: Tensor;
  v: Tensor;
  lr: number;
  l2: number;
  decay: number;
}

/**
 * Applies the updates it can in place (native engine on, tensors not shared with others) and
 * returns the others, for the per-variable kernel.
 */
export function adamUpdateInPlace<U extends AdamVariableUpdate>(step: AdamStep, updates: readonly U[]): U[] {
  return updateInPlace<U>({
    entry: 'calibraAdamUpdate',
    tensors: (u) => [u.param, u.grad, u.m, u.v],
    written: (u) => [u.param, u.m, u.v],
    scalars: (u) => [u.lr, u.l2, u.decay],
    call: (addon, memory, table) => addon.calibraAdamUpdate(memory, step.beta1, step.beta2, step.epsilon, step.correction1, step.correction2, table),
  }, updates);
}
