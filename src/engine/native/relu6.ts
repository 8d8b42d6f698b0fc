// Relu6 (native/relu6.cc): as the cpu backend, NaN stays NaN and −0 becomes 0.
import { Relu6 } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const relu6Config = unaryKernelConfig(Relu6, 'relu6');
