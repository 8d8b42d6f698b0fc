// FusedConv2D (conv + bias + activation in one oneDNN primitive; native/fused_conv2d.cc).
import { FusedConv2D } from '@tensorflow/tfjs-core';

import { convForwardConfig } from './conv-kernel.js';

export const fusedConv2DConfig = convForwardConfig(FusedConv2D, 'fusedConv2d', { depthwise: false, fused: true });
