// Conv2DBackpropInput: the gradient of Conv2D with respect to its input
// (native/conv2d_backprop_input.cc).
import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type Conv2DBackpropInputInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import { convShape } from './conv-geometry.js';
import { allFloat32, nativeKernelConfig, unsupported } from './native-kernel.js';
import { heap, idOf, offsetOf } from './wasm-heap.js';

export const conv2DBackpropInputConfig = nativeKernelConfig<Conv2DBackpropInputInputs, Conv2DBackpropInputAttrs>(
  Conv2DBackpropInput,
  ({ inputs, attrs, backend, addon }) => {
    const dy = inputs.dy as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    if (!allFloat32(dy, filter)) return unsupported('non-float32 input');
    const info = backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(attrs.dataFormat),
    );
    const shape = convShape(info, false);
    if (!Array.isArray(shape)) return shape;
    const dx = backend.makeOutput(info.inShape, 'float32');
    addon.conv2dBackpropInput(
      heap(backend),
      ...shape,
      offsetOf(backend, dy),
      offsetOf(backend, filter),
      idOf(backend, filter),
      offsetOf(backend, dx),
    );
    return dx;
  },
);
