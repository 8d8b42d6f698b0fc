// SGD with momentum on the addon (native/calibra_momentum_update.cc): all of a step's variables
// in one call, each rewritten in place with its accumulator, as calibra-adam-update.ts does for
// Adam. The values are the per-variable JS kernel's to the bit.
import type { Tensor } from '@tensorflow/tfjs-core';

import { updateInPlace } from './rewrite-in-place.js';

export interface MomentumStep {
  momentum: number;
  nesterov: boolean;
}

export interface MomentumVariableUpdate {
  param: Tensor;
  grad: Tensor;
  accum: Tensor;
  lr: number;
  l2: number;
}

/**
 * Applies the updates it can in place (native engine on, tensors not shared with others) and
 * returns the others, for the per-variable kernel.
 */
export function momentumUpdateInPlace<U extends MomentumVariableUpdate>(step: MomentumStep, updates: readonly U[]): U[] {
  return updateInPlace<U>({
    entry: 'calibraMomentumUpdate',
    tensors: (u) => [u.param, u.grad, u.accum],
    written: (u) => [u.param, u.accum],
    scalars: (u) => [u.lr, u.l2],
    call: (addon, memory, table) => addon.calibraMomentumUpdate(memory, step.momentum, step.nesterov ? 1 : 0, table),
  }, updates);
}
