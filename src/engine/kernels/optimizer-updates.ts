// Fused optimizer updates for wasm: one kernel per variable and step, where tfjs's optimizers
// dispatch about ten elementwise kernels each (most of a small network's step went to that
// dispatch). The loops run in JS straight over the wasm heap; they are memory bound and small.
// The native engine updates all of a step's variables in one call instead, to these kernels'
// values (src/engine/native/calibra-adam-update.ts); it hands back those it cannot write in place.
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const ADAM_UPDATE = 'CalibraAdamUpdate';
export const MOMENTUM_UPDATE = 'CalibraMomentumUpdate';

export interface AdamUpdateAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − beta1^t and 1 − beta2^t for this step t: Adam's bias corrections. */
  correction1: number;
  correction2: number;
  /** L2 penalty added to the gradient (Adam's classic weight decay, coupled to the moments). */
  l2: number;
  /** Decoupled weight decay (AdamW): the parameter shrinks by lr·decay before the update. */
  decay: number;
}

export interface MomentumUpdateAttrs {
  lr: number;
  momentum: number;
  /** L2 penalty added to the gradient (SGD's weight decay). */
  l2: number;
  /** Nesterov: step along grad + momentum·accum instead of accum. */
  nesterov: boolean;
}

function outputs(backend: BackendWasm, like: TensorInfo, n: number): TensorInfo[] {
  return Array.from({ length: n }, () => backend.makeOutput(like.shape, 'float32'));
}

// Views are taken after every output is allocated: an allocation can grow the heap and detach
// views taken before it.
const view = (backend: BackendWasm, t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;

export const adamUpdateConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const b = backend as BackendWasm;
    const { param, grad, m, v } = inputs as Record<'param' | 'grad' | 'm' | 'v', TensorInfo>;
    const { lr, beta1, beta2, epsilon, correction1, correction2, l2, decay } = attrs as unknown as AdamUpdateAttrs;
    const outs = outputs(b, param, 3);
    const [p, g, m0, v0] = [param, grad, m, v].map((t) => view(b, t)) as Float32Array[];
    const [p1, m1, v1] = outs.map((t) => view(b, t)) as Float32Array[];
    const shrink = 1 - lr * decay;
    for (let i = 0; i < p!.length; i++) {
      const gi = g![i]! + l2 * p![i]!;
      const mi = m0![i]! * beta1 + gi * (1 - beta1);
      const vi = v0![i]! * beta2 + gi * gi * (1 - beta2);
      m1![i] = mi;
      v1![i] = vi;
      p1![i] = p![i]! * shrink - (lr * (mi / correction1)) / (Math.sqrt(vi / correction2) + epsilon);
    }
    return outs;
  },
};

export const momentumUpdateConfig: KernelConfig = {
  kernelName: MOMENTUM_UPDATE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const b = backend as BackendWasm;
    const { param, grad, accum } = inputs as Record<'param' | 'grad' | 'accum', TensorInfo>;
    const { lr, momentum, l2, nesterov } = attrs as unknown as MomentumUpdateAttrs;
    const outs = outputs(b, param, 2);
    const [p, g, a0] = [param, grad, accum].map((t) => view(b, t)) as Float32Array[];
    const [p1, a1] = outs.map((t) => view(b, t)) as Float32Array[];
    for (let i = 0; i < p!.length; i++) {
      const gi = g![i]! + l2 * p![i]!;
      const ai = a0![i]! * momentum + gi;
      a1![i] = ai;
      p1![i] = p![i]! - lr * (nesterov ? gi + momentum * ai : ai);
    }
    return outs;
  },
};

