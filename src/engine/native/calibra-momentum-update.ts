// SGD with momentum on the addon (native/calibra_momentum_update.cc): all of a step's variables
// in one call, each rewritten in place with its accumulator, as calibra-adam-update.ts does for
// Adam. The values are the per-variable JS kernel's to the bit.
import type { Tensor } from '@tensorflow/tfjs-core';

import { inPlaceTarget, renewIds, writableInPlace } from './rewrite-in-place.js';
import { heap, offsetOf } from './wasm-heap.js';

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

const ROW = 6;

/**
 * Applies the updates it can in place (native engine on, tensors not shared with others) and
 * returns the others, for the per-variable kernel.
 */
export function momentumUpdateInPlace<U extends MomentumVariableUpdate>(step: MomentumStep, updates: readonly U[]): U[] {
  const target = inPlaceTarget('calibraMomentumUpdate');
  if (target === null) return [...updates];
  const rest: U[] = [];
  const done: U[] = [];
  for (const u of updates) (writableInPlace(target, [u.param, u.accum], [u.grad]) ? done : rest).push(u);
  if (done.length === 0) return rest;
  const { backend, addon } = target;
  const table = new Float64Array(done.length * ROW);
  done.forEach((u, i) => {
    const offsets = [u.param, u.grad, u.accum].map((t) => offsetOf(backend, t));
    table.set([...offsets, u.param.size, u.lr, u.l2], i * ROW);
  });
  addon.calibraMomentumUpdate(heap(backend), step.momentum, step.nesterov ? 1 : 0, table);
  renewIds(target, done.flatMap((u) => [u.param, u.accum]));
  return rest;
}
