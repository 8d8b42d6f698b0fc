// Relu (native/relu.cc): as the cpu backend, NaN stays NaN and −0 becomes 0.
import { Relu } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const reluConfig = unaryKernelConfig(Relu, 'relu');
