// The gradients of Relu and Relu6 as one kernel, in place of tfjs's compositions (Step, Cast
// and Multiply for Relu; LessEqual, Step, two Multiplies and a Cast for Relu6). This is the
// wasm backend's version; the native engine replaces it (src/engine/native/calibra-relu-grad.ts).
//
// It keeps tfjs's values exactly: dx = dy · m with m = 1 where 0 < x ≤ cap, 0 elsewhere and
// NaN where x is NaN, so that dy · 0 gives NaN for infinite dy and −0 for negative dy, as
// tfjs's Multiply does. Relu6 passes the gradient at x = 6, as tfjs does (x ≤ 6), and neither
// passes it at x = 0.
//
// It is built of the wasm backend's vectorised Step, Sub and Multiply. On 2M values the Relu6
// gradient takes 2.3 ms this way and Relu's 0.8 ms, where one JS pass over the heap took 30 ms
// for either, and tfjs's Relu6 composition 8.6 ms (its LessEqual is an unvectorised loop).
import {
  Multiply,
  Step,
  Sub,
  type GradConfig,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import { gradientThroughKernel } from './kernel-gradient.js';
import { withKernelScope, type KernelScope } from './kernel-utils.js';

export const CALIBRA_RELU_GRAD = 'CalibraReluGrad';

export interface ReluGradAttrs {
  /** Relu6's 6; ∞ for Relu. */
  cap: number;
}

/**
 * The least float32 above `cap`, a positive float32. No float32 lies between the two, so for
 * float32 x, x ≤ cap exactly when above − x > 0 in float32 arithmetic: the exact difference
 * is then at least one ulp, which rounding keeps positive, and otherwise at most 0.
 */
function float32Above(cap: number): number {
  const bits = new Uint32Array(Float32Array.of(cap).buffer);
  bits[0]! += 1;
  return new Float32Array(bits.buffer)[0]!;
}

/** 1 where x > 0, 0 where not, NaN where x is NaN: tfjs's Step. */
function step(scope: KernelScope, x: TensorInfo): TensorInfo {
  return scope.run(Step, { x }, { alpha: 0 });
}

/** inputs {dy, x}, attrs {cap} → dx (see above). */
const reluGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x } = inputs as Record<'dy' | 'x', TensorInfo>;
  const { cap } = attrs as unknown as ReluGradAttrs;
  return withKernelScope(backend, (scope) => {
    let mask = step(scope, x);
    if (cap !== Infinity) {
      const margin = scope.run(Sub, { a: scope.constant([], Float32Array.of(float32Above(cap))), b: x });
      mask = scope.run(Multiply, { a: step(scope, margin), b: mask });
    }
    return scope.run(Multiply, { a: dy, b: mask });
  });
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
