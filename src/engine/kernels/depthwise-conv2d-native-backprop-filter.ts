// The filter gradient of a depthwise convolution, which the wasm backend lacks.
//
// It is one depthwise convolution that XNNPACK runs, with the batch folded into the filter's
// rows: the N images of x are stacked into one tall image, each in a block of R rows (R a
// multiple of the stride), and dy, padded to R/stride rows per image, is stacked the same way
// and used as a [N·R/stride, OW] filter dilated by the stride. Filter row n·R/stride + oh then
// lands on image n's row oh·stride + kh, so the output rows are the gradient's KH filter rows.
// dy is [N, OH, OW, C·M] with channel c·M + m, which is exactly a depthwise filter's
// [.., C, M] layout, so neither input needs a transpose.
import {
  backend_util,
  DepthwiseConv2dNative,
  DepthwiseConv2dNativeBackpropFilter,
  Slice,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import {
  assertUnitDilation,
  padRows,
  reshaped,
  withKernelScope,
  type Shape4D,
} from './kernel-utils.js';

const depthwiseConv2dNativeBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as DepthwiseConv2dNativeBackpropFilterInputs;
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  assertUnitDilation(DepthwiseConv2dNativeBackpropFilter, dilations);
  const info = backend_util.computeConv2DInfo(
    x!.shape as Shape4D, filterShape, strides, 1, pad, dimRoundingMode, true);
  const { batchSize, inHeight, inChannels, outChannels, outHeight, outWidth, padInfo } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;

  // A block must hold the padded image and every row that a real dy row reads; rows past the
  // image read by the zero rows padded onto dy may belong to the next image, harmlessly.
  const blockRows =
    strideHeight *
    Math.ceil(Math.max(padInfo.top + inHeight, (outHeight - 1) * strideHeight + filterHeight) /
      strideHeight);
  const dyRows = blockRows / strideHeight;
  const width = Math.min(info.inWidth, (outWidth - 1) * strideWidth + filterWidth - padInfo.left);
  const padRight = (outWidth - 1) * strideWidth + filterWidth - padInfo.left - width;
  // The stacked correlation yields strideHeight + padBottom rows; the first KH are the gradient.
  const padBottom = Math.max(filterHeight - strideHeight, 0);

  return withKernelScope(backend, (scope) => {
    let image: TensorInfo = x!;
    if (width < info.inWidth) {
      image = scope.run(Slice, { x: image }, {
        begin: [0, 0, 0, 0],
        size: [batchSize, inHeight, width, inChannels],
      });
    }
    image = padRows(scope, image, padInfo.top, blockRows - padInfo.top - inHeight);
    const taps = padRows(scope, dy!, 0, dyRows - outHeight);
    const grad = scope.run(
      DepthwiseConv2dNative,
      {
        x: reshaped(image, [1, batchSize * blockRows, width, inChannels]),
        filter: reshaped(taps, [batchSize * dyRows, outWidth, inChannels, outChannels / inChannels]),
      },
      {
        strides: [1, 1],
        pad: [[0, 0], [0, padBottom], [padInfo.left, padRight], [0, 0]],
        dilations: [strideHeight, strideWidth],
      },
    );
    if (strideHeight + padBottom === filterHeight) return reshaped(grad, filterShape);
    return reshaped(
      scope.run(Slice, { x: grad }, {
        begin: [0, 0, 0, 0],
        size: [1, filterHeight, filterWidth, outChannels],
      }),
      filterShape,
    );
  });
};

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter,
};
