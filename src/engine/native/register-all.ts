// Puts the native kernels in place of the wasm backend's own, for the wasm backend only. Each
// replaced kernel is kept and still runs the calls the native one declines (see
// native-kernel.ts). Register the project's pure-tfjs wasm kernels
// (src/engine/kernels/register-all.ts) first, so they become the fallbacks; registering them
// after would replace some native kernels again. Registration also makes the wasm backend's
// later tensor allocations 64-byte aligned (aligned-heap.ts).
import '@tensorflow/tfjs-backend-wasm';
import { engine, getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';

import { addConfig } from './add.js';
import { alignWasmAllocations } from './aligned-heap.js';
import { avgPoolGradConfig } from './avg-pool-grad.js';
import { avgPoolConfig } from './avg-pool.js';
import { batchMatMulConfig } from './batch-mat-mul.js';
import { calibraBatchNormTrainGradConfig } from './calibra-batch-norm-train-grad.js';
import { calibraBatchNormTrainReluGradConfig } from './calibra-batch-norm-train-relu-grad.js';
import { calibraBatchNormTrainReluConfig } from './calibra-batch-norm-train-relu.js';
import { calibraBatchNormTrainConfig } from './calibra-batch-norm-train.js';
import { calibraClipByValueGradConfig } from './calibra-clip-by-value-grad.js';
import { calibraFusedBatchNormGradConfig } from './calibra-fused-batch-norm-grad.js';
import { calibraFusedBatchNormReluGradConfig } from './calibra-fused-batch-norm-relu-grad.js';
import { calibraFusedBatchNormReluConfig } from './calibra-fused-batch-norm-relu.js';
import { calibraReluGradConfig } from './calibra-relu-grad.js';
import { clipByValueConfig } from './clip-by-value.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { conv2DConfig } from './conv2d.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-conv2d-native-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-conv2d-native-backprop-input.js';
import { depthwiseConv2dNativeConfig } from './depthwise-conv2d-native.js';
import { fusedBatchNormConfig } from './fused-batch-norm.js';
import { fusedConv2DConfig } from './fused-conv2d.js';
import { fusedDepthwiseConv2DConfig } from './fused-depthwise-conv2d.js';
import { fusedMatMulConfig } from './fused-mat-mul.js';
import { loadAddon, type NativeEngineInfo } from './load-addon.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { maxPoolConfig } from './max-pool.js';
import { multiplyConfig } from './multiply.js';
import { keepStockKernel } from './native-kernel.js';
import { realDivConfig } from './real-div.js';
import { relu6Config } from './relu6.js';
import { reluConfig } from './relu.js';
import { subConfig } from './sub.js';
import { asWasmHeapBackend } from './wasm-heap.js';

const nativeKernels: readonly KernelConfig[] = [
  conv2DConfig,
  fusedConv2DConfig,
  conv2DBackpropInputConfig,
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeConfig,
  fusedDepthwiseConv2DConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  calibraBatchNormTrainConfig,
  calibraBatchNormTrainGradConfig,
  calibraBatchNormTrainReluConfig,
  calibraBatchNormTrainReluGradConfig,
  fusedBatchNormConfig,
  calibraFusedBatchNormGradConfig,
  calibraFusedBatchNormReluConfig,
  calibraFusedBatchNormReluGradConfig,
  maxPoolConfig,
  avgPoolConfig,
  maxPoolGradConfig,
  avgPoolGradConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  reluConfig,
  relu6Config,
  clipByValueConfig,
  calibraReluGradConfig,
  calibraClipByValueGradConfig,
  addConfig,
  multiplyConfig,
  subConfig,
  realDivConfig,
];

export interface NativeRegistration {
  /** Whether the addon loaded; when it did not, nothing was registered. */
  loaded: boolean;
  /** Why the addon did not load. */
  reason?: string;
  /** Names of the kernels that now run natively on wasm. */
  kernels: string[];
}

/** The kernels each native one replaced, to put back; present while the native ones are in. */
let replaced: Map<string, KernelConfig | undefined> | undefined;

/** Idempotent. Never throws: without the addon it reports why and leaves wasm as it was. */
export function registerNativeKernels(): NativeRegistration {
  const load = loadAddon();
  if (!load.loaded) return { loaded: false, reason: load.reason, kernels: [] };
  if (replaced === undefined) {
    replaced = new Map();
    for (const config of nativeKernels) {
      const stock = getKernel(config.kernelName, 'wasm');
      replaced.set(config.kernelName, stock);
      if (stock !== undefined) {
        keepStockKernel(stock);
        unregisterKernel(config.kernelName, 'wasm');
      }
      registerKernel(config);
    }
    // A backend set up later gets this from the kernels' setupFunc. (findBackend would start
    // setting one up.)
    const wasm = engine().registry['wasm'];
    if (wasm !== undefined) alignWasmAllocations(asWasmHeapBackend(wasm).wasm);
  }
  return { loaded: true, kernels: nativeKernels.map((k) => k.kernelName) };
}

/** Whether the native kernels are registered now. */
export function nativeKernelsActive(): boolean {
  return replaced !== undefined;
}

/** Puts the replaced kernels back, for comparing native with stock in one process. */
export function unregisterNativeKernels(): void {
  if (replaced === undefined) return;
  for (const [name, stock] of replaced) {
    unregisterKernel(name, 'wasm');
    if (stock !== undefined) registerKernel(stock);
  }
  replaced = undefined;
}

/** Threads, oneDNN version and instruction set of the native kernels, or undefined without the addon. */
export function nativeEngineInfo(): NativeEngineInfo | undefined {
  const load = loadAddon();
  return load.loaded ? load.addon.info() : undefined;
}

/**
 * Sets how many threads the native kernels use from now on. One per physical core is fastest
 * on an idle machine; when other busy processes share the cores, one thread can be several
 * times faster, as each kernel otherwise waits for its preempted half.
 */
export function setNativeThreads(threads: number): void {
  const load = loadAddon();
  if (load.loaded) load.addon.setThreads(threads);
}
