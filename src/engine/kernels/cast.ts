// Cast for the wasm backend: a cast to the dtype a tensor already has shares its memory, as
// Identity does (identity.ts), where the shipped kernel copies it. tfjs differentiates Identity
// (tf.clone, used by tfjs-layers' Add merge on every residual join) as such a cast of the
// upstream gradient, so each step copied one activation-sized gradient per residual join.
// Casts that change the dtype run the shipped kernel.
import '@tensorflow/tfjs-backend-wasm';
import { Cast, getKernel, type CastAttrs, type CastInputs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const shipped = getKernel(Cast, 'wasm');

export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  setupFunc: shipped.setupFunc,
  kernelFunc: (args) => {
    const x = (args.inputs as CastInputs).x as TensorInfo;
    if (x.dtype !== (args.attrs as unknown as CastAttrs).dtype) return shipped.kernelFunc(args);
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};
