// Add (native/add.cc) of float32 operands of one shape, or with one of them broadcast
// along adjacent axes (see elementwise.ts).
import { Add } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const addConfig = binaryKernelConfig(Add, 'add');
