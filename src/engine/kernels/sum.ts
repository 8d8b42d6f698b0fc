// Sum for the wasm backend: per-channel sums (all axes but the last) as an average pooling
// times the count, see leading-axes-mean.ts; every other reduction goes to the shipped kernel.
import '@tensorflow/tfjs-backend-wasm';
import {
  getKernel,
  Sum,
  type KernelConfig,
  type KernelFunc,
  type SumAttrs,
  type SumInputs,
} from '@tensorflow/tfjs-core';
import { reshaped, withKernelScope } from './kernel-utils.js';
import { channelMean, channelShape, leadingAxesLayout } from './leading-axes-mean.js';

const shipped = getKernel(Sum, 'wasm');

const sum: KernelFunc = (args) => {
  const { x } = args.inputs as SumInputs;
  const { axis, keepDims } = args.attrs as unknown as SumAttrs;
  const layout = leadingAxesLayout(x!, axis);
  if (layout === null) return shipped.kernelFunc(args);
  return withKernelScope(args.backend, (scope) => {
    const sums = channelMean(scope, x!, layout);
    const values = scope.view(sums);
    for (let i = 0; i < values.length; i++) values[i]! *= layout.count;
    return reshaped(sums, channelShape(x!, keepDims));
  });
};

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  // The shipped kernel's setup binds its wasm function; the engine runs only registered setups.
  setupFunc: shipped.setupFunc,
  kernelFunc: sum,
};
