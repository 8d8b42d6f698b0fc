// Kernels the wasm backend lacks for training CNNs. Each file holds one KernelConfig.
import { registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';

const wasmTrainingKernels: KernelConfig[] = [];

export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernels) registerKernel(config);
}
