// Conv2DBackpropFilter: the gradient of Conv2D with respect to its filter
// (native/conv2d_backprop_filter.cc). The stock wasm backend has no such kernel.
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import { convShape } from './conv-geometry.js';
import { allFloat32, nativeKernelConfig, unsupported } from './native-kernel.js';
import { heap, offsetOf } from './wasm-heap.js';

export const conv2DBackpropFilterConfig = nativeKernelConfig<Conv2DBackpropFilterInputs, Conv2DBackpropFilterAttrs>(
  Conv2DBackpropFilter,
  ({ inputs, attrs, backend, addon }) => {
    const x = inputs.x as TensorInfo;
    const dy = inputs.dy as TensorInfo;
    if (!allFloat32(x, dy)) return unsupported('non-float32 input');
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(attrs.dataFormat),
    );
    const shape = convShape(info, false);
    if (!Array.isArray(shape)) return shape;
    const dw = backend.makeOutput(attrs.filterShape, 'float32');
    addon.conv2dBackpropFilter(heap(backend), ...shape, offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, dw));
    return dw;
  },
);
