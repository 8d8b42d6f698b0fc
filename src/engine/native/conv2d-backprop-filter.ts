// Conv2DBackpropFilter: the gradient of Conv2D with respect to its filter
// (native/conv2d_backprop_filter.cc). The stock wasm backend has no such kernel.
import { Conv2DBackpropFilter } from '@tensorflow/tfjs-core';

import { convBackpropFilterConfig } from './conv-kernel.js';

export const conv2DBackpropFilterConfig = convBackpropFilterConfig(
  Conv2DBackpropFilter,
  'conv2dBackpropFilter',
  { depthwise: false },
);
