// Kernels the wasm backend lacks, or ships too slow, for training CNNs, and Calibra's fused
// BatchNorm training kernels. Each file holds one KernelConfig; the others hold helpers.
//
// Importing the wasm package here first makes its own registrations happen before ours, so
// ours replace its kernels whatever order the caller imports things in.
import '@tensorflow/tfjs-backend-wasm';
import {
  ClipByValue,
  FusedBatchNorm,
  Mean,
  Relu,
  Relu6,
  getGradient,
  getKernel,
  registerGradient,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
} from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './batch-mat-mul.js';
import { castConfig } from './cast.js';
import { calibraBatchNormTrainGradConfig } from './calibra-batch-norm-train-grad.js';
import { calibraBatchNormTrainConfig } from './calibra-batch-norm-train.js';
import { clipByValueGradConfig, clipByValueGradient } from './clip-by-value-grad.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-conv2d-native-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-conv2d-native-backprop-input.js';
import { calibraFusedBatchNormGradConfig, fusedBatchNormGradient } from './fused-batch-norm-grad.js';
import { fusedBatchNormConfig } from './fused-batch-norm.js';
import { identityConfig } from './identity.js';
import { meanConfig } from './mean.js';
import { meanGradient } from './mean-grad.js';
import { movingAverageConfig } from './moving-average.js';
import { adamUpdateConfig, momentumUpdateConfig } from './optimizer-updates.js';
import { calibraReluGradConfig, relu6Gradient, reluGradient } from './relu-grad.js';
import { sumConfig } from './sum.js';
import { tileConfig } from './tile.js';

const wasmTrainingKernels: KernelConfig[] = [
  batchMatMulConfig,
  calibraBatchNormTrainConfig,
  calibraBatchNormTrainGradConfig,
  calibraFusedBatchNormGradConfig,
  calibraReluGradConfig,
  castConfig,
  clipByValueGradConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  fusedBatchNormConfig,
  identityConfig,
  meanConfig,
  movingAverageConfig,
  adamUpdateConfig,
  momentumUpdateConfig,
  sumConfig,
  tileConfig,
];

let registered = false;

/**
 * Registers them once per process, with the ClipByValue, Relu, Relu6 and FusedBatchNorm
 * gradients that use some of them (see clip-by-value-grad.ts, relu-grad.ts and
 * fused-batch-norm-grad.ts), and Mean's without its tensor of ones (mean-grad.ts). A later
 * call does nothing, so it never replaces kernels registered on top of these (the native
 * engine's, which keeps these as its fallbacks).
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of wasmTrainingKernels) {
    // tfjs warns when a kernel is registered over another; unregistering first replaces quietly.
    const existing = getKernel(config.kernelName, config.backendName) as KernelConfig | undefined;
    if (existing !== undefined) unregisterKernel(config.kernelName, config.backendName);
    registerKernel(config);
  }
  registerGradient(clipByValueGradient(getGradient(ClipByValue)));
  registerGradient(reluGradient(getGradient(Relu)));
  registerGradient(relu6Gradient(getGradient(Relu6)));
  registerGradient(fusedBatchNormGradient(getGradient(FusedBatchNorm)));
  registerGradient(meanGradient(getGradient(Mean)));
}
