// DepthwiseConv2dNative as a oneDNN grouped convolution (native/depthwise_conv2d_native.cc).
import { DepthwiseConv2dNative } from '@tensorflow/tfjs-core';

import { convForwardConfig } from './conv-kernel.js';

export const depthwiseConv2dNativeConfig = convForwardConfig(
  DepthwiseConv2dNative,
  'depthwiseConv2dNative',
  { depthwise: true },
);
