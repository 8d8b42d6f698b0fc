// DepthwiseConv2dNativeBackpropFilter: the depthwise convolution's filter gradient
// (native/depthwise_conv2d_native_backprop_filter.cc). The stock wasm backend has no such kernel.
import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropFilterInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import { convShape } from './conv-geometry.js';
import { allFloat32, nativeKernelConfig, unsupported } from './native-kernel.js';
import { heap, offsetOf } from './wasm-heap.js';

export const depthwiseConv2dNativeBackpropFilterConfig = nativeKernelConfig<
  DepthwiseConv2dNativeBackpropFilterInputs,
  DepthwiseConv2dNativeBackpropFilterAttrs
>(DepthwiseConv2dNativeBackpropFilter, ({ inputs, attrs, backend, addon }) => {
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  if (!allFloat32(x, dy)) return unsupported('non-float32 input');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    // tfjs-layers passes dilations: null (not undefined), which skips the op default.
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const shape = convShape(info, true);
  if (!Array.isArray(shape)) return shape;
  const dw = backend.makeOutput(attrs.filterShape, 'float32');
  addon.depthwiseConv2dNativeBackpropFilter(
    heap(backend),
    ...shape,
    offsetOf(backend, x),
    offsetOf(backend, dy),
    offsetOf(backend, dw),
  );
  return dw;
});
