// The filter gradient of a 2-D convolution, which the wasm backend lacks.
//
// dW[kh, kw, ci, co] = Σ over n, oh, ow of x[n, oh·s + kh − padTop, ow·s + kw − padLeft, ci] ·
// dy[n, oh, ow, co] is itself one convolution that XNNPACK runs, with the batch as the
// contracted channel axis. One of x and dy becomes a single image of height H and width W·C
// with N channels (a 2-D transpose), the other the filter with N input channels. A column
// dilation of C makes a filter tap move w while keeping the channel c fixed, so the output is
// the gradient laid out as [KH, KW·C, C'].
//
// XNNPACK repacks the filter on every call, and that costs far more per element than the
// convolution's arithmetic when the filter is large with many channels (the wasm backend's
// filter transpose then thrashes the cache): 1x1 layers ran ten times faster with the smaller
// operand as the filter. So the smaller of x and dy becomes the filter. dy can always be it,
// dilated by the stride; x only at stride 1, as a correlation that yields the taps reversed.
//
// That transpose writes one stream per output channel, taps·N floats apart. With an even batch
// the distance is a multiple of a large power of two, all streams map to the same cache sets
// and evict each other: a 16x16x64x32 filter took 7 ms to set up, 1.4 ms with a batch of 65.
// So an even batch gets one more, all-zero, image (two memcpys).
import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Reverse,
  Slice,
  Transpose,
  util,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import {
  assertChannelsLast,
  reshaped,
  withKernelScope,
  type KernelScope,
  type Shape4D,
} from './kernel-utils.js';

type ConvInfo = backend_util.Conv2DInfo;

/** `t` (float32) with all-zero entries appended along its first axis up to `size`. */
function growFirstAxis(scope: KernelScope, t: TensorInfo, size: number): TensorInfo {
  if (size === t.shape[0]) return t;
  const grown = scope.alloc([size, ...t.shape.slice(1)]);
  const source = scope.view(t);
  const target = scope.view(grown);
  target.set(source);
  target.fill(0, source.length);
  return grown;
}

/** [N, H, W, C] → one image [1, H, W·C, N]. */
function batchAsChannels(scope: KernelScope, t: TensorInfo): TensorInfo {
  const [n, h, w, c] = t.shape as Shape4D;
  const image = scope.run(Transpose, { x: reshaped(t, [n, h * w * c]) }, { perm: [1, 0] });
  return reshaped(image, [1, h, w * c, n]);
}

/** [N, H, W, C] → a filter [H, W, N, C]. */
function batchAsFilterChannels(scope: KernelScope, t: TensorInfo): TensorInfo {
  const [n, h, w, c] = t.shape as Shape4D;
  const filter = scope.run(Transpose, { x: reshaped(t, [n, h * w, c]) }, { perm: [1, 0, 2] });
  return reshaped(filter, [h, w, n, c]);
}

/** dy as the filter, dilated by the stride, sliding over x. */
function dyAsFilter(scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: ConvInfo): TensorInfo {
  const { inChannels, outHeight, outWidth, padInfo } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  // Trailing rows and columns that no output reads are cut off, which keeps the bottom and
  // right pads non-negative.
  const height = Math.min(info.inHeight, (outHeight - 1) * strideHeight + filterHeight - padInfo.top);
  const width = Math.min(info.inWidth, (outWidth - 1) * strideWidth + filterWidth - padInfo.left);
  const padBottom = (outHeight - 1) * strideHeight + filterHeight - padInfo.top - height;
  const padRight = (outWidth - 1) * strideWidth + filterWidth - padInfo.left - width;
  const xUsed =
    height < info.inHeight || width < info.inWidth
      ? scope.run(Slice, { x }, { begin: [0, 0, 0, 0], size: [x.shape[0]!, height, width, inChannels] })
      : x;
  const grad = scope.run(
    Conv2D,
    { x: batchAsChannels(scope, xUsed), filter: batchAsFilterChannels(scope, dy) },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [padInfo.top, padBottom],
        [padInfo.left * inChannels, padRight * inChannels],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [strideHeight, strideWidth * inChannels],
    },
  );
  return reshaped(grad, info.filterShape);
}

/** Whether x can be the filter: stride 1, and no pad wider than the filter's reach. */
function xCanBeFilter(info: ConvInfo): boolean {
  const { padInfo, filterHeight, filterWidth } = info;
  return (
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    Math.max(padInfo.top, padInfo.bottom) < filterHeight &&
    Math.max(padInfo.left, padInfo.right) < filterWidth
  );
}

/**
 * x as the filter sliding over dy; output row p is filter row KH−1−p, so the result is
 * reversed in both taps and laid out [KH, KW, Cout, Cin] before the final flip and transpose.
 */
function xAsFilter(scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: ConvInfo): TensorInfo {
  const { inChannels, outChannels, padInfo, filterHeight, filterWidth } = info;
  const flipped = scope.run(
    Conv2D,
    { x: batchAsChannels(scope, dy), filter: batchAsFilterChannels(scope, x) },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [filterHeight - 1 - padInfo.top, filterHeight - 1 - padInfo.bottom],
        [(filterWidth - 1 - padInfo.left) * outChannels, (filterWidth - 1 - padInfo.right) * outChannels],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [1, outChannels],
    },
  );
  const transposed = scope.run(
    Transpose,
    { x: reshaped(flipped, [filterHeight * filterWidth, outChannels, inChannels]) },
    { perm: [0, 2, 1] },
  );
  return scope.run(Reverse, { x: reshaped(transposed, info.filterShape) }, { dims: [0, 1] });
}

const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as Conv2DBackpropFilterInputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as Conv2DBackpropFilterAttrs;
  assertChannelsLast(Conv2DBackpropFilter, dataFormat);
  const info = backend_util.computeConv2DInfo(
    x!.shape as Shape4D, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const packX = xCanBeFilter(info) && util.sizeFromShape(x!.shape) < util.sizeFromShape(dy!.shape);
  const batch = info.batchSize + 1 - (info.batchSize % 2);
  return withKernelScope(backend, (scope) => {
    const xs = growFirstAxis(scope, x!, batch);
    const dys = growFirstAxis(scope, dy!, batch);
    return packX ? xAsFilter(scope, xs, dys, info) : dyAsFilter(scope, xs, dys, info);
  });
};

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
