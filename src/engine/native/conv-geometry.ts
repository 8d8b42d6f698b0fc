// tfjs convolution geometry → the numbers of the native ConvShape (native/conv_common.h).
import { backend_util } from '@tensorflow/tfjs-core';

import { unsupported, type Unsupported } from './native-kernel.js';

/** Output length oneDNN derives for a padded, strided window: it always rounds down. */
export function flooredOutSize(inSize: number, padTotal: number, effectiveFilter: number, stride: number): number {
  return Math.floor((inSize + padTotal - effectiveFilter) / stride) + 1;
}

/**
 * [n, ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, padTop, padLeft, padBottom, padRight,
 * groups], or why oneDNN cannot run it. A depthwise convolution is grouped by input channel.
 */
export function convShape(info: backend_util.Conv2DInfo, depthwise: boolean): number[] | Unsupported {
  if (info.dataFormat !== 'channelsLast') return unsupported('NCHW data format');
  const { padInfo: p } = info;
  if (
    flooredOutSize(info.inHeight, p.top + p.bottom, info.effectiveFilterHeight, info.strideHeight) !==
      info.outHeight ||
    flooredOutSize(info.inWidth, p.left + p.right, info.effectiveFilterWidth, info.strideWidth) !== info.outWidth
  ) {
    return unsupported('output size rounded up (dimRoundingMode)');
  }
  const shape = [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    p.top,
    p.left,
    p.bottom,
    p.right,
    depthwise ? info.inChannels : 1,
  ];
  if (shape.slice(0, 9).some((d) => d <= 0)) return unsupported('empty tensor');
  return shape;
}
