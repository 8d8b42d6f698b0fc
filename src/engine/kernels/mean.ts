// Mean for the wasm backend: per-channel means (all axes but the last) as one average pooling,
// see leading-axes-mean.ts; every other reduction goes to the shipped kernel.
import '@tensorflow/tfjs-backend-wasm';
import {
  getKernel,
  Mean,
  type KernelConfig,
  type KernelFunc,
  type MeanAttrs,
  type MeanInputs,
} from '@tensorflow/tfjs-core';
import { reshaped, withKernelScope } from './kernel-utils.js';
import { channelMean, channelShape, leadingAxesLayout } from './leading-axes-mean.js';

const shipped = getKernel(Mean, 'wasm');

const mean: KernelFunc = (args) => {
  const { x } = args.inputs as MeanInputs;
  const { axis, keepDims } = args.attrs as unknown as MeanAttrs;
  const layout = leadingAxesLayout(x!, axis);
  if (layout === null) return shipped.kernelFunc(args);
  return withKernelScope(args.backend, (scope) =>
    reshaped(channelMean(scope, x!, layout), channelShape(x!, keepDims)));
};

export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  // The shipped kernel's setup binds its wasm function; the engine runs only registered setups.
  setupFunc: shipped.setupFunc,
  kernelFunc: mean,
};
