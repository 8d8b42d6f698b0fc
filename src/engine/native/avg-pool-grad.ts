// AvgPoolGrad on oneDNN (native/avg_pool_grad.cc). Like every tfjs backend, it spreads each
// gradient over the whole window, padding included, although the forward pass excludes padding.
import { AvgPoolGrad, type AvgPoolGradAttrs, type AvgPoolGradInputs, type TensorInfo } from '@tensorflow/tfjs-core';

import { allFloat32, nativeKernelConfig, unsupported } from './native-kernel.js';
import { poolGeometry } from './pool-geometry.js';
import { heap, offsetOf } from './wasm-heap.js';

export const avgPoolGradConfig = nativeKernelConfig<AvgPoolGradInputs, AvgPoolGradAttrs>(
  AvgPoolGrad,
  ({ inputs, attrs, backend, addon }) => {
    const dy = inputs.dy as TensorInfo;
    const x = inputs.input as TensorInfo;
    if (!allFloat32(dy, x)) return unsupported('non-float32 input');
    const g = poolGeometry(x, attrs);
    if (!('shape' in g)) return g;
    const dx = backend.makeOutput(x.shape, 'float32');
    addon.avgPoolGrad(heap(backend), ...g.shape, offsetOf(backend, dy), offsetOf(backend, dx));
    return dx;
  },
);
