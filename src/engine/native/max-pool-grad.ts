// MaxPoolGrad on oneDNN (native/max_pool_grad.cc). tfjs passes the forward output too; oneDNN
// needs the argmax instead, which the native side recomputes from the input.
import { MaxPoolGrad, type MaxPoolGradAttrs, type MaxPoolGradInputs, type TensorInfo } from '@tensorflow/tfjs-core';

import { allFloat32, nativeKernelConfig, unsupported } from './native-kernel.js';
import { poolGeometry } from './pool-geometry.js';
import { heap, offsetOf } from './wasm-heap.js';

export const maxPoolGradConfig = nativeKernelConfig<MaxPoolGradInputs, MaxPoolGradAttrs>(
  MaxPoolGrad,
  ({ inputs, attrs, backend, addon }) => {
    const dy = inputs.dy as TensorInfo;
    const x = inputs.input as TensorInfo;
    if (!allFloat32(dy, x)) return unsupported('non-float32 input');
    const g = poolGeometry(x, attrs);
    if (!('shape' in g)) return g;
    const dx = backend.makeOutput(x.shape, 'float32');
    addon.maxPoolGrad(heap(backend), ...g.shape, offsetOf(backend, dy), offsetOf(backend, x), offsetOf(backend, dx));
    return dx;
  },
);
