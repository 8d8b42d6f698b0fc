// CalibraReluGrad (native/calibra_relu_grad.cc), the kernel of the Relu and Relu6 gradients
// (src/engine/kernels/relu-grad.ts): dx = dy · (0 < x ≤ cap), NaN where x is NaN.
import { CALIBRA_RELU_GRAD, type ReluGradAttrs } from '../kernels/relu-grad.js';
import { unaryKernelConfig } from './elementwise.js';

export const calibraReluGradConfig = unaryKernelConfig<ReluGradAttrs>(CALIBRA_RELU_GRAD, 'calibraReluGrad', (attrs) => [attrs.cap]);
