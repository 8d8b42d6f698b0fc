// MaxPool on oneDNN (native/max_pool.cc).
import { MaxPool, type MaxPoolAttrs, type MaxPoolInputs, type TensorInfo } from '@tensorflow/tfjs-core';

import { allFloat32, nativeKernelConfig, unsupported } from './native-kernel.js';
import { poolGeometry } from './pool-geometry.js';
import { heap, offsetOf } from './wasm-heap.js';

export const maxPoolConfig = nativeKernelConfig<MaxPoolInputs, MaxPoolAttrs>(MaxPool, ({ inputs, attrs, backend, addon }) => {
  const x = inputs.x as TensorInfo;
  if (!allFloat32(x)) return unsupported('non-float32 input');
  const g = poolGeometry(x, attrs);
  if (!('shape' in g)) return g;
  const y = backend.makeOutput(g.info.outShape, 'float32');
  addon.maxPool(heap(backend), ...g.shape, offsetOf(backend, x), offsetOf(backend, y));
  return y;
});
