// FusedDepthwiseConv2D: depthwise conv + bias + activation in one oneDNN primitive
// (native/fused_depthwise_conv2d.cc).
import {
  backend_util,
  FusedDepthwiseConv2D,
  type FusedDepthwiseConv2DAttrs,
  type FusedDepthwiseConv2DInputs,
} from '@tensorflow/tfjs-core';

import { nativeActivation } from './activation.js';
import { convShape } from './conv-geometry.js';
import { allFloat32, isPerChannel, nativeKernelConfig, unsupported } from './native-kernel.js';
import { heap, idOf, offsetOf } from './wasm-heap.js';

export const fusedDepthwiseConv2DConfig = nativeKernelConfig<FusedDepthwiseConv2DInputs, FusedDepthwiseConv2DAttrs>(
  FusedDepthwiseConv2D,
  ({ inputs, attrs, backend, addon }) => {
    const { x, filter, bias } = inputs;
    if (!allFloat32(x, filter, ...(bias ? [bias] : []))) return unsupported('non-float32 input');
    const act = nativeActivation(attrs.activation, attrs.leakyreluAlpha);
    if (!('code' in act)) return act;
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
    if (bias && !isPerChannel(bias, info.outChannels)) return unsupported('bias is not per channel');
    const shape = convShape(info, true);
    if (!Array.isArray(shape)) return shape;
    const y = backend.makeOutput(info.outShape, 'float32');
    addon.fusedDepthwiseConv2d(
      heap(backend),
      ...shape,
      offsetOf(backend, x),
      offsetOf(backend, filter),
      idOf(backend, filter),
      bias ? offsetOf(backend, bias) : -1,
      act.code,
      act.alpha,
      offsetOf(backend, y),
    );
    return y;
  },
);
