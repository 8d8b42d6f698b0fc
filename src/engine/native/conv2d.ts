// Conv2D on oneDNN (native/conv2d.cc).
import { Conv2D } from '@tensorflow/tfjs-core';

import { convForwardConfig } from './conv-kernel.js';

export const conv2DConfig = convForwardConfig(Conv2D, 'conv2d', { depthwise: false });
