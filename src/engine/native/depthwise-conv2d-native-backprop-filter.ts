// DepthwiseConv2dNativeBackpropFilter: the depthwise convolution's filter gradient
// (native/depthwise_conv2d_native_backprop_filter.cc). The stock wasm backend has no such kernel.
import { DepthwiseConv2dNativeBackpropFilter } from '@tensorflow/tfjs-core';

import { convBackpropFilterConfig } from './conv-kernel.js';

export const depthwiseConv2dNativeBackpropFilterConfig = convBackpropFilterConfig(
  DepthwiseConv2dNativeBackpropFilter,
  'depthwiseConv2dNativeBackpropFilter',
  { depthwise: true },
);
