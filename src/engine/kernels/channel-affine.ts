// y[..., c] = x[..., c]·a[c] + b[c] in one XNNPACK pass: a 1x1 depthwise convolution with bias
// over the tensor seen as one row of pixels. BatchNorm's forward and backward are built on it.
import { FusedDepthwiseConv2D, util, type TensorInfo } from '@tensorflow/tfjs-core';
import { reshaped, type KernelScope } from './kernel-utils.js';

export function channelAffine(
  scope: KernelScope,
  x: TensorInfo,
  a: Float32Array,
  b: Float32Array,
): TensorInfo {
  const channels = a.length;
  const y = scope.run(
    FusedDepthwiseConv2D,
    {
      x: reshaped(x, [1, 1, util.sizeFromShape(x.shape) / channels, channels]),
      filter: scope.constant([1, 1, channels, 1], a),
      bias: scope.constant([channels], b),
    },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], activation: 'linear' },
  );
  return reshaped(y, x.shape);
}
