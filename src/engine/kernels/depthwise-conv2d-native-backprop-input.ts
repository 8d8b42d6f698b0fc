// The input gradient of a depthwise convolution, which the wasm backend lacks.
//
// It is a depthwise convolution (XNNPACK) of dy with the spatially flipped filter. dy's C·M
// channels each get their own 1-channel filter, and the M products that belong to one input
// channel are summed afterwards. With stride s, dy is first dilated with s−1 zeros between
// entries. That costs s² more multiplies, but a depthwise convolution is bound by memory, not
// arithmetic: s² phase convolutions would save the multiplies and add a pass to interleave
// their outputs, and XNNPACK's depthwise convolution with one output channel per phase (a
// channel multiplier) measured slower than the dilated one.
import {
  backend_util,
  DepthwiseConv2dNative,
  DepthwiseConv2dNativeBackpropInput,
  PadV2,
  Reverse,
  Slice,
  Sum,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type DepthwiseConv2dNativeBackpropInputInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { assertUnitDilation, reshaped, withKernelScope, type Shape4D } from './kernel-utils.js';

/** The span of the zero-dilated dy that one spatial axis of the correlation reads. */
function dilatedSpan(inSize: number, dilatedSize: number, filterSize: number, padBefore: number) {
  const start = padBefore - (filterSize - 1);
  const end = padBefore + inSize;
  const skip = Math.max(start, 0);
  return {
    skip,
    used: Math.min(end, dilatedSize) - skip,
    padBefore: Math.max(-start, 0),
    padAfter: Math.max(end - dilatedSize, 0),
  };
}

const depthwiseConv2dNativeBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as DepthwiseConv2dNativeBackpropInputInputs;
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  assertUnitDilation(DepthwiseConv2dNativeBackpropInput, dilations);
  const info = backend_util.computeConv2DInfo(
    inputShape, filter!.shape as Shape4D, strides, 1, pad, dimRoundingMode, true);
  const { batchSize, inChannels, outChannels, outHeight, outWidth, strideHeight, strideWidth } =
    info;
  const multiplier = outChannels / inChannels;
  const dilatedHeight = outHeight * strideHeight;
  const dilatedWidth = outWidth * strideWidth;
  const rows = dilatedSpan(info.inHeight, dilatedHeight, info.filterHeight, info.padInfo.top);
  const cols = dilatedSpan(info.inWidth, dilatedWidth, info.filterWidth, info.padInfo.left);

  return withKernelScope(backend, (scope) => {
    let signal: TensorInfo = dy!;
    if (strideHeight > 1 || strideWidth > 1) {
      const spread = scope.run(
        PadV2,
        { x: reshaped(dy!, [batchSize, outHeight, 1, outWidth, 1, outChannels]) },
        {
          paddings: [[0, 0], [0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0]],
          constantValue: 0,
        },
      );
      signal = reshaped(spread, [batchSize, dilatedHeight, dilatedWidth, outChannels]);
    }
    if (rows.skip > 0 || cols.skip > 0 || rows.used < dilatedHeight || cols.used < dilatedWidth) {
      signal = scope.run(Slice, { x: signal }, {
        begin: [0, rows.skip, cols.skip, 0],
        size: [batchSize, rows.used, cols.used, outChannels],
      });
    }
    const flipped = scope.run(
      Reverse,
      { x: reshaped(filter!, [info.filterHeight, info.filterWidth, outChannels, 1]) },
      { dims: [0, 1] },
    );
    const products = scope.run(
      DepthwiseConv2dNative,
      { x: signal, filter: flipped },
      {
        strides: [1, 1],
        pad: [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]],
        dilations: [1, 1],
      },
    );
    if (multiplier === 1) return reshaped(products, inputShape);
    const perChannel = scope.run(
      Sum,
      { x: reshaped(products, [...inputShape, multiplier]) },
      { axis: [4], keepDims: false },
    );
    return reshaped(perChannel, inputShape);
  });
};

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput,
};
