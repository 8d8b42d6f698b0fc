// The gradient of ClipByValue (tf.layers' ReLU with maxValue, so every ReLU6 of a Keras
// MobileNet) as one kernel for the wasm backend. tfjs composes it of GreaterEqual, LessEqual,
// LogicalAnd, ZerosLike and Select, five passes of unvectorised wasm loops that took a third
// of a MobileNetV2 training step; this is one JS pass over the wasm heap, five times faster.
// The pass selects dy's bits with a mask rather than a branch: x is about as often inside as
// outside the range, and the mispredicted branch made the loop three times slower.
//
// The gradient registered for ClipByValue runs the kernel where the current backend has it
// and tfjs's own gradient everywhere else, so other backends are unaffected.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  type ClipByValueAttrs,
  type GradConfig,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import { gradientThroughKernel } from './kernel-gradient.js';

export const CALIBRA_CLIP_BY_VALUE_GRAD = 'CalibraClipByValueGrad';

/** inputs {dy, x}, attrs as ClipByValue's → dx = dy where min ≤ x ≤ max, else 0. */
const clipByValueGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x } = inputs as Record<'dy' | 'x', TensorInfo>;
  const { clipValueMin, clipValueMax } = attrs as unknown as ClipByValueAttrs;
  // tfjs compares x with float32 tensors of the bounds: x = fround(-0.1), below -0.1, is inside
  // [-0.1, 0].
  const min = Math.fround(clipValueMin);
  const max = Math.fround(clipValueMax);
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput(x.shape, 'float32') as TensorInfo;
  const bits = (t: TensorInfo): Int32Array => {
    const floats = wasm.typedArrayFromHeap(t);
    return new Int32Array(floats.buffer, floats.byteOffset, floats.length);
  };
  const values = wasm.typedArrayFromHeap(x);
  const upstream = bits(dy);
  const grad = bits(out);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    grad[i] = upstream[i]! & -(+(v >= min) & +(v <= max));
  }
  return out;
};

export const clipByValueGradConfig: KernelConfig = {
  kernelName: CALIBRA_CLIP_BY_VALUE_GRAD,
  backendName: 'wasm',
  kernelFunc: clipByValueGrad,
};

/** ClipByValue's gradient: the kernel where registered, else `stock` (tfjs's). */
export function clipByValueGradient(stock: GradConfig): GradConfig {
  return gradientThroughKernel(stock, CALIBRA_CLIP_BY_VALUE_GRAD, (attrs) => attrs);
}
