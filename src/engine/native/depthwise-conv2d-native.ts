// DepthwiseConv2dNative as a oneDNN grouped convolution (native/depthwise_conv2d_native.cc).
import {
  backend_util,
  DepthwiseConv2dNative,
  type DepthwiseConv2dNativeAttrs,
  type DepthwiseConv2dNativeInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import { convShape } from './conv-geometry.js';
import { allFloat32, nativeKernelConfig, unsupported } from './native-kernel.js';
import { heap, idOf, offsetOf } from './wasm-heap.js';

export const depthwiseConv2dNativeConfig = nativeKernelConfig<DepthwiseConv2dNativeInputs, DepthwiseConv2dNativeAttrs>(
  DepthwiseConv2dNative,
  ({ inputs, attrs, backend, addon }) => {
    const x = inputs.x as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    if (!allFloat32(x, filter)) return unsupported('non-float32 input');
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      // tfjs-layers passes dilations: null (not undefined), which skips the op default.
      attrs.dilations ?? 1,
      attrs.pad,
      attrs.dimRoundingMode,
      true,
      backend_util.convertConv2DDataFormat(attrs.dataFormat),
    );
    const shape = convShape(info, true);
    if (!Array.isArray(shape)) return shape;
    const y = backend.makeOutput(info.outShape, 'float32');
    addon.depthwiseConv2dNative(
      heap(backend),
      ...shape,
      offsetOf(backend, x),
      offsetOf(backend, filter),
      idOf(backend, filter),
      offsetOf(backend, y),
    );
    return y;
  },
);
