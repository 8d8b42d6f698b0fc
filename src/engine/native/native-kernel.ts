// How a native kernel becomes a tfjs KernelConfig for the wasm backend: it runs on the addon,
// and hands any call it does not handle (NCHW, prelu, ...) to the stock wasm kernel it replaced.
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';

import { alignWasmAllocations } from './aligned-heap.js';
import { requireAddon, type NativeAddon } from './load-addon.js';
import { asWasmHeapBackend, type WasmHeapBackend } from './wasm-heap.js';

export interface NativeCall<I, A> {
  readonly inputs: I;
  readonly attrs: A;
  readonly backend: WasmHeapBackend;
  readonly addon: NativeAddon;
}

/** A native kernel's answer for a call it does not handle. */
export class Unsupported {
  constructor(readonly reason: string) {}
}

export function unsupported(reason: string): Unsupported {
  return new Unsupported(reason);
}

/** The addon's kernel entries, each (heap, ...numbers). */
export type EntryName = Exclude<keyof NativeAddon, 'info' | 'setThreads' | 'channelMoments' | InPlaceEntryName>;

/** The entries that rewrite tensors in place (see rewrite-in-place.ts), each (heap, ...numbers, table). */
export type InPlaceEntryName = 'calibraAdamUpdate' | 'calibraMomentumUpdate';

/** An addon built before a kernel existed (a checkout not rebuilt since) lacks its entry. */
export function missing(addon: NativeAddon, entry: EntryName): Unsupported | undefined {
  return typeof addon[entry] === 'function' ? undefined : unsupported(`the addon has no ${entry}: rebuild it`);
}

export type NativeRun<I, A> = (call: NativeCall<I, A>) => TensorInfo | TensorInfo[] | Unsupported;

const stockKernels = new Map<string, KernelConfig>();
const fallbacks = new Map<string, number>();

/** How many calls of a kernel the native side declined so far (for tests and benchmarks). */
export function fallbackCount(kernelName: string): number {
  return fallbacks.get(kernelName) ?? 0;
}

/** Keeps the kernel that a native one replaces, to run the calls the native one declines. */
export function keepStockKernel(config: KernelConfig): void {
  stockKernels.set(config.kernelName, config);
}

export function nativeKernelConfig<I, A>(kernelName: string, run: NativeRun<I, A>): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    setupFunc: (backend) => {
      alignWasmAllocations(asWasmHeapBackend(backend).wasm);
      // The stock kernel's setup binds its wasm functions; it must still run for fallbacks.
      stockKernels.get(kernelName)?.setupFunc?.(backend);
    },
    disposeFunc: (backend) => stockKernels.get(kernelName)?.disposeFunc?.(backend),
    kernelFunc: (args) => {
      const result = run({
        inputs: args.inputs as unknown as I,
        attrs: (args.attrs ?? {}) as unknown as A,
        backend: asWasmHeapBackend(args.backend),
        addon: requireAddon(),
      });
      if (!(result instanceof Unsupported)) return result;
      fallbacks.set(kernelName, fallbackCount(kernelName) + 1);
      const stock = stockKernels.get(kernelName);
      if (stock === undefined) {
        throw new Error(`${kernelName} (native): ${result.reason}, and there is no wasm kernel to fall back to`);
      }
      return stock.kernelFunc(args);
    },
  };
}

/** The native kernels handle float32 only. */
export function allFloat32(...tensors: TensorInfo[]): boolean {
  return tensors.every((t) => t.dtype === 'float32');
}

/** Whether a bias adds one value per channel (last axis) everywhere: shape [c], [1, c], .... */
export function isPerChannel(bias: TensorInfo, channels: number): boolean {
  return bias.shape[bias.shape.length - 1] === channels && util.sizeFromShape(bias.shape) === channels;
}
