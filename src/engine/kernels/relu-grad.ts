// The gradients of Relu and Relu6 as one kernel, in place of tfjs's compositions (Step, Cast
// and Multiply for Relu; LessEqual, Step, two Multiplies and a Cast for Relu6), each of whose
// parts is a pass over the whole activation. This is the wasm backend's version, one
// JS pass over the heap; the native engine replaces it (src/engine/native/calibra-relu-grad.ts).
//
// It keeps tfjs's values exactly: dx = dy · m with m = 1 where 0 < x ≤ cap, 0 elsewhere and
// NaN where x is NaN, so that dy · 0 gives NaN for infinite dy and −0 for negative dy, as
// tfjs's Multiply does. Relu6 passes the gradient at x = 6, as tfjs does (x ≤ 6), and neither
// passes it at x = 0.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { GradConfig, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

import { gradientThroughKernel } from './kernel-gradient.js';

export const CALIBRA_RELU_GRAD = 'CalibraReluGrad';

export interface ReluGradAttrs {
  /** Relu6's 6; ∞ for Relu. */
  cap: number;
}

/** inputs {dy, x}, attrs {cap} → dx (see above). */
const reluGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x } = inputs as Record<'dy' | 'x', TensorInfo>;
  const { cap } = attrs as unknown as ReluGradAttrs;
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput(x.shape, 'float32') as TensorInfo;
  const values = wasm.typedArrayFromHeap(x);
  const upstream = wasm.typedArrayFromHeap(dy);
  const grad = wasm.typedArrayFromHeap(out);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // `&` rather than `&&`: a branch on the sign of x, about as often either way, mispredicts.
    grad[i] = v !== v ? NaN : upstream[i]! * (+(v > 0) & +(v <= cap));
  }
  return out;
};

export const calibraReluGradConfig: KernelConfig = {
  kernelName: CALIBRA_RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: reluGrad,
};

/** Relu's gradient (`stock` is tfjs's): the kernel where registered, else `stock`. */
export function reluGradient(stock: GradConfig): GradConfig {
  return gradientThroughKernel(stock, CALIBRA_RELU_GRAD, () => ({ cap: Infinity }));
}

/** Relu6's gradient (`stock` is tfjs's): the kernel where registered, else `stock`. */
export function relu6Gradient(stock: GradConfig): GradConfig {
  return gradientThroughKernel(stock, CALIBRA_RELU_GRAD, () => ({ cap: 6 }));
}
