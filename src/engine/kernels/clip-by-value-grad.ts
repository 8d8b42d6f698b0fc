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
  ClipByValue,
  engine,
  getBackend,
  getKernel,
  type ClipByValueAttrs,
  type GradConfig,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

export const CALIBRA_CLIP_BY_VALUE_GRAD = 'CalibraClipByValueGrad';

/** inputs {dy, x}, attrs as ClipByValue's → dx = dy where min ≤ x ≤ max, else 0. */
const clipByValueGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x } = inputs as Record<'dy' | 'x', TensorInfo>;
  const { clipValueMin, clipValueMax } = attrs as unknown as ClipByValueAttrs;
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
    grad[i] = upstream[i]! & -(+(v >= clipValueMin) & +(v <= clipValueMax));
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
  return {
    kernelName: ClipByValue,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [Tensor];
      const upstream = dy as Tensor;
      if (
        getKernel(CALIBRA_CLIP_BY_VALUE_GRAD, getBackend()) === undefined ||
        x.dtype !== 'float32' ||
        upstream.dtype !== 'float32'
      ) {
        return stock.gradFunc(dy, saved, attrs);
      }
      return {
        x: () =>
          engine().runKernel(CALIBRA_CLIP_BY_VALUE_GRAD, { dy: upstream, x }, attrs as NamedAttrMap) as Tensor,
      };
    },
  };
}
