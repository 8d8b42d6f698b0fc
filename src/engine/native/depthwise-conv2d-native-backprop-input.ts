// DepthwiseConv2dNativeBackpropInput: the depthwise convolution's input gradient
// (native/depthwise_conv2d_native_backprop_input.cc). The stock wasm backend has no such kernel.
import { DepthwiseConv2dNativeBackpropInput } from '@tensorflow/tfjs-core';

import { convBackpropInputConfig } from './conv-kernel.js';

export const depthwiseConv2dNativeBackpropInputConfig = convBackpropInputConfig(
  DepthwiseConv2dNativeBackpropInput,
  'depthwiseConv2dNativeBackpropInput',
  { depthwise: true },
);
