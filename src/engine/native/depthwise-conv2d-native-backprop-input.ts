// DepthwiseConv2dNativeBackpropInput: the depthwise convolution's input gradient
// (native/depthwise_conv2d_native_backprop_input.cc). The stock wasm backend has no such kernel.
import {
  backend_util,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type DepthwiseConv2dNativeBackpropInputInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import { convShape } from './conv-geometry.js';
import { allFloat32, nativeKernelConfig, unsupported } from './native-kernel.js';
import { heap, idOf, offsetOf } from './wasm-heap.js';

export const depthwiseConv2dNativeBackpropInputConfig = nativeKernelConfig<
  DepthwiseConv2dNativeBackpropInputInputs,
  DepthwiseConv2dNativeBackpropInputAttrs
>(DepthwiseConv2dNativeBackpropInput, ({ inputs, attrs, backend, addon }) => {
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  if (!allFloat32(dy, filter)) return unsupported('non-float32 input');
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    // tfjs-layers passes dilations: null (not undefined), which skips the op default.
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const shape = convShape(info, true);
  if (!Array.isArray(shape)) return shape;
  const dx = backend.makeOutput(info.inShape, 'float32');
  addon.depthwiseConv2dNativeBackpropInput(
    heap(backend),
    ...shape,
    offsetOf(backend, dy),
    offsetOf(backend, filter),
    idOf(backend, filter),
    offsetOf(backend, dx),
  );
  return dx;
});
