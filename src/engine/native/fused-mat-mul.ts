// _FusedMatMul: matmul + bias + activation in one oneDNN primitive (native/fused_mat_mul.cc).
import { _FusedMatMul, type _FusedMatMulAttrs, type _FusedMatMulInputs } from '@tensorflow/tfjs-core';

import { nativeActivation } from './activation.js';
import { matMulGeometry } from './mat-mul-geometry.js';
import { allFloat32, isPerChannel, nativeKernelConfig, unsupported } from './native-kernel.js';
import { heap, offsetOf } from './wasm-heap.js';

export const fusedMatMulConfig = nativeKernelConfig<_FusedMatMulInputs, _FusedMatMulAttrs>(
  _FusedMatMul,
  ({ inputs, attrs, backend, addon }) => {
    const { a, b, bias } = inputs;
    if (!allFloat32(a, b, ...(bias ? [bias] : []))) return unsupported('non-float32 input');
    const act = nativeActivation(attrs.activation, attrs.leakyreluAlpha);
    if (!('code' in act)) return act;
    const g = matMulGeometry(a, b, attrs.transposeA, attrs.transposeB);
    if (!('shape' in g)) return g;
    if (bias && !isPerChannel(bias, g.n)) return unsupported('bias is not one row');
    const y = backend.makeOutput(g.outShape, 'float32');
    addon.fusedMatMul(
      heap(backend),
      ...g.shape,
      offsetOf(backend, a),
      offsetOf(backend, b),
      bias ? offsetOf(backend, bias) : -1,
      act.code,
      act.alpha,
      offsetOf(backend, y),
    );
    return y;
  },
);
