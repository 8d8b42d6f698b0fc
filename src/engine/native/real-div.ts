// RealDiv (native/real_div.cc) of float32 operands of one shape, or with one of them broadcast
// along adjacent axes (see elementwise.ts). The quotient is correctly rounded either way, so it
// equals the cpu backend's, which divides in double and rounds to float32.
import { RealDiv } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const realDivConfig = binaryKernelConfig(RealDiv, 'realDiv');
