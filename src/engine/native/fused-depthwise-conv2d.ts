// FusedDepthwiseConv2D: depthwise conv + bias + activation in one oneDNN primitive
// (native/fused_depthwise_conv2d.cc).
import { FusedDepthwiseConv2D } from '@tensorflow/tfjs-core';

import { convForwardConfig } from './conv-kernel.js';

export const fusedDepthwiseConv2DConfig = convForwardConfig(
  FusedDepthwiseConv2D,
  'fusedDepthwiseConv2d',
  { depthwise: true, fused: true },
);
