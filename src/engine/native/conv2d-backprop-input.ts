// Conv2DBackpropInput: the gradient of Conv2D with respect to its input
// (native/conv2d_backprop_input.cc).
import { Conv2DBackpropInput } from '@tensorflow/tfjs-core';

import { convBackpropInputConfig } from './conv-kernel.js';

export const conv2DBackpropInputConfig = convBackpropInputConfig(
  Conv2DBackpropInput,
  'conv2dBackpropInput',
  { depthwise: false },
);
