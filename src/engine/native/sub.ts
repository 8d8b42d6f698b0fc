// Sub (native/sub.cc) of float32 operands of one shape, or with one of them broadcast
// along adjacent axes (see elementwise.ts).
import { Sub } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const subConfig = binaryKernelConfig(Sub, 'sub');
