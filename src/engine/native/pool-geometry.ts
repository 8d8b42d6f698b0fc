// tfjs pooling geometry → the numbers of the native PoolShape (native/pool_common.h).
import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';

import { flooredOutSize } from './conv-geometry.js';
import { unsupported, type Unsupported } from './native-kernel.js';

export interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export interface PoolGeometry {
  readonly info: backend_util.Conv2DInfo;
  /** [n, ih, iw, c, oh, ow, kh, kw, sh, sw, padTop, padLeft, padBottom, padRight] */
  readonly shape: number[];
}

export function poolGeometry(x: TensorInfo, attrs: PoolAttrs): PoolGeometry | Unsupported {
  if (x.shape.length !== 4) return unsupported(`input of rank ${x.shape.length}`);
  const info = backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const p = info.padInfo;
  if (
    flooredOutSize(info.inHeight, p.top + p.bottom, info.effectiveFilterHeight, info.strideHeight) !==
      info.outHeight ||
    flooredOutSize(info.inWidth, p.left + p.right, info.effectiveFilterWidth, info.strideWidth) !== info.outWidth
  ) {
    return unsupported('output size rounded up (dimRoundingMode)');
  }
  // oneDNN rejects windows that would lie wholly in the padding; tfjs gives them -inf or NaN.
  if (p.top >= info.filterHeight || p.bottom >= info.filterHeight || p.left >= info.filterWidth || p.right >= info.filterWidth) {
    return unsupported('padding as wide as the window');
  }
  const shape = [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    p.top,
    p.left,
    p.bottom,
    p.right,
  ];
  if (shape.slice(0, 8).some((d) => d <= 0)) return unsupported('empty tensor');
  return { info, shape };
}
