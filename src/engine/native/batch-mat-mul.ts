// BatchMatMul on oneDNN (native/batch_mat_mul.cc).
import { BatchMatMul, type BatchMatMulAttrs, type BatchMatMulInputs, type TensorInfo } from '@tensorflow/tfjs-core';

import { matMulGeometry } from './mat-mul-geometry.js';
import { allFloat32, nativeKernelConfig, unsupported } from './native-kernel.js';
import { heap, offsetOf } from './wasm-heap.js';

export const batchMatMulConfig = nativeKernelConfig<BatchMatMulInputs, BatchMatMulAttrs>(
  BatchMatMul,
  ({ inputs, attrs, backend, addon }) => {
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    if (!allFloat32(a, b)) return unsupported('non-float32 input');
    const g = matMulGeometry(a, b, attrs.transposeA, attrs.transposeB);
    if (!('shape' in g)) return g;
    const y = backend.makeOutput(g.outShape, 'float32');
    addon.batchMatMul(heap(backend), ...g.shape, offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, y));
    return y;
  },
);
