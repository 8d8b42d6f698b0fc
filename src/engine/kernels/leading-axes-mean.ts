// Per-channel means over all other axes, the reductions BatchNorm runs forward and backward.
// The wasm backend's Sum and Mean first transpose the reduced axes innermost; an XNNPACK
// average pooling over the whole tensor seen as one image reads it once instead, and ran ten
// times faster on BatchNorm-sized activations.
import { AvgPool, Identity, util, type TensorInfo } from '@tensorflow/tfjs-core';
import { reshaped, type KernelScope } from './kernel-utils.js';

/** A tensor [..., C] seen as one image [1, rows, cols, C]. */
export interface ChannelLayout {
  rows: number;
  cols: number;
  channels: number;
  /** Values per channel: rows·cols. */
  count: number;
}

export function channelLayout(x: TensorInfo): ChannelLayout | null {
  const rank = x.shape.length;
  const size = util.sizeFromShape(x.shape);
  if (x.dtype !== 'float32' || rank < 2 || size === 0) return null;
  const channels = x.shape[rank - 1]!;
  const cols = rank > 2 ? x.shape[rank - 2]! : 1;
  const count = size / channels;
  return { rows: count / cols, cols, channels, count };
}

/** The layout, when `axis` names every axis but the last of a non-empty float32 tensor. */
export function leadingAxesLayout(x: TensorInfo, axis: number | number[]): ChannelLayout | null {
  const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
  if (axes.length !== x.shape.length - 1 || axes.some((a, i) => a !== i)) return null;
  return channelLayout(x);
}

/** Per-channel means, shape [1, 1, 1, C]. */
export function channelMean(scope: KernelScope, x: TensorInfo, layout: ChannelLayout): TensorInfo {
  const { rows, cols, channels } = layout;
  // XNNPACK refuses a 1x1 pooling window; the mean of one value is that value.
  if (layout.count === 1) return scope.run(Identity, { x: reshaped(x, [1, 1, 1, channels]) });
  return scope.run(AvgPool, { x: reshaped(x, [1, rows, cols, channels]) }, {
    filterSize: [rows, cols],
    strides: [1, 1],
    pad: 'valid',
  });
}

/** The shape a reduction over all leading axes returns. */
export function channelShape(x: TensorInfo, keepDims: boolean): number[] {
  const channels = x.shape[x.shape.length - 1]!;
  return keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels];
}
