// Calibra's wasm training kernels are compositions of the wasm backend's own kernels (XNNPACK
// convolutions and pooling, transposes), plus small JS loops over the wasm heap. They call
// those kernel functions directly rather than tfjs ops: inside a kernel the engine must not see
// new tensors (they would escape tidy scopes and the gradient tape), and the backend frees each
// intermediate by its dataId.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  getKernel,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

export type Shape4D = [number, number, number, number];

/** Intermediates made inside one kernel call, all freed when it returns or throws. */
export interface KernelScope {
  /** Runs a registered wasm kernel; its output is freed with the scope unless returned. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs?: NamedAttrMap): TensorInfo;
  /** A copy of a float32 tensor's values, for rearranging small tensors such as filters. */
  read(info: TensorInfo): Float32Array;
  /** An uninitialised float32 tensor on the wasm heap. */
  alloc(shape: number[]): TensorInfo;
  /** Places values written in JS on the wasm heap. */
  constant(shape: number[], values: Float32Array): TensorInfo;
  /**
   * A float32 tensor's memory, to read or write in place. Valid only until the next allocation
   * (run, alloc, constant), which may grow the heap and detach it.
   */
  view(info: TensorInfo): Float32Array;
}

/**
 * Runs `body` with a scope whose allocations are freed when it returns or throws, except the
 * tensors it returns. `kernelBackend` is what a KernelFunc receives, typed `{}` by tfjs.
 */
export function withKernelScope<T extends TensorInfo | TensorInfo[]>(
  kernelBackend: object,
  body: (scope: KernelScope) => T,
): T {
  const backend = kernelBackend as BackendWasm;
  const owned: TensorInfo[] = [];
  const own = (info: TensorInfo): TensorInfo => {
    owned.push(info);
    return info;
  };
  const scope: KernelScope = {
    run: (kernelName, inputs, attrs = {}) => {
      const kernel = getKernel(kernelName, 'wasm') as ReturnType<typeof getKernel> | undefined;
      if (kernel === undefined) throw new Error(`wasm backend has no '${kernelName}' kernel`);
      return own(kernel.kernelFunc({ inputs, attrs, backend }) as TensorInfo);
    },
    read: (info) => backend.readSync(info.dataId) as Float32Array,
    alloc: (shape) => own(backend.makeOutput(shape, 'float32')),
    constant: (shape, values) => own(backend.makeOutput(shape, 'float32', undefined, values)),
    view: (info) => backend.typedArrayFromHeap(info) as Float32Array,
  };
  const kept = new Set<object>();
  try {
    const result = body(scope);
    for (const info of Array.isArray(result) ? result : [result]) kept.add(info.dataId);
    return result;
  } finally {
    for (const info of owned) {
      if (!kept.has(info.dataId)) backend.disposeData(info.dataId);
    }
  }
}

/**
 * A float32 [N, H, ...] tensor with `before` and `after` zero rows around each of its N
 * blocks: a memcpy per block, three times faster than the wasm PadV2 on large activations.
 */
export function padRows(scope: KernelScope, t: TensorInfo, before: number, after: number): TensorInfo {
  if (before === 0 && after === 0) return t;
  const [n, h] = t.shape as [number, number];
  const padded = scope.alloc([n, before + h + after, ...t.shape.slice(2)]);
  const source = scope.view(t);
  const target = scope.view(padded);
  const block = source.length / n;
  const row = block / h;
  for (let i = 0, to = 0; i < n; i++) {
    target.fill(0, to, to + before * row);
    to += before * row;
    target.set(source.subarray(i * block, (i + 1) * block), to);
    to += block;
    target.fill(0, to, to + after * row);
    to += after * row;
  }
  return padded;
}

/** The same data seen with another shape of equal size; shares the dataId, owns nothing. */
export function reshaped(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** tfjs computes depthwise gradients only without dilation; so do these kernels. */
export function assertUnitDilation(
  kernelName: string,
  dilations: number | [number, number] | undefined,
): void {
  const [h, w] = typeof dilations === 'object' ? dilations : [dilations ?? 1, dilations ?? 1];
  if (h !== 1 || w !== 1) {
    throw new Error(`${kernelName} on wasm supports only dilation 1, got [${h}, ${w}]`);
  }
}

/** Only NHWC is supported: the wasm backend's convolutions are NHWC-only too. */
export function assertChannelsLast(kernelName: string, dataFormat: 'NHWC' | 'NCHW'): void {
  if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
    throw new Error(`${kernelName} on wasm supports only dataFormat 'NHWC', got '${dataFormat}'`);
  }
}
