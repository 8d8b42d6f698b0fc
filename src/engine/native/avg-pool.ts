// AvgPool on oneDNN (native/avg_pool.cc). Like tfjs, it averages only in-bounds elements.
import { AvgPool, type AvgPoolAttrs, type AvgPoolInputs, type TensorInfo } from '@tensorflow/tfjs-core';

import { allFloat32, nativeKernelConfig, unsupported } from './native-kernel.js';
import { poolGeometry } from './pool-geometry.js';
import { heap, offsetOf } from './wasm-heap.js';

export const avgPoolConfig = nativeKernelConfig<AvgPoolInputs, AvgPoolAttrs>(AvgPool, ({ inputs, attrs, backend, addon }) => {
  const x = inputs.x as TensorInfo;
  if (!allFloat32(x)) return unsupported('non-float32 input');
  const g = poolGeometry(x, attrs);
  if (!('shape' in g)) return g;
  const y = backend.makeOutput(g.info.outShape, 'float32');
  addon.avgPool(heap(backend), ...g.shape, offsetOf(backend, x), offsetOf(backend, y));
  return y;
});
