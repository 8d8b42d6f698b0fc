// Multiply (native/multiply.cc) of float32 operands of one shape, or with one of them a per-channel
// vector or a scalar (see elementwise.ts).
import { Multiply } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const multiplyConfig = binaryKernelConfig(Multiply, 'multiply');
