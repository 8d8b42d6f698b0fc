// Identity that shares the input's memory instead of copying it, as the cpu backend does.
// tfjs clones every tensor it saves for the backward pass through this kernel, so wasm's copying
// version moved every saved activation through memory once more per training step. Sharing is
// safe because tfjs tensors are immutable: nothing writes into a tensor's memory after it is made.
import { Identity, type IdentityInputs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const x = (inputs as IdentityInputs).x as TensorInfo;
    (backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};
