// The parts of the wasm backend that the native kernels use to work on tensor memory in place.
// BackendWasm keeps them public but untyped for outside use, so they are described here.
import type { DataId, DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

interface WasmTensorData {
  /** Unique per tensor data, never reused: safe to key caches of derived data on. */
  readonly id: number;
  /** Byte offset of the data in the wasm heap. */
  readonly memoryOffset: number;
}

export interface WasmHeapBackend {
  readonly wasm: { readonly HEAPU8: Uint8Array };
  readonly dataIdMap: { get(dataId: DataId): WasmTensorData | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

export function asWasmHeapBackend(backend: KernelBackend | {}): WasmHeapBackend {
  const b = backend as Partial<WasmHeapBackend>;
  if (b.wasm?.HEAPU8 === undefined || b.dataIdMap === undefined || typeof b.makeOutput !== 'function') {
    throw new Error('native kernels run only on the wasm backend');
  }
  return b as WasmHeapBackend;
}

/**
 * The heap as it is now. Memory growth (any allocation, e.g. makeOutput) replaces the view, so
 * take it after the outputs are made and pass it straight to the addon.
 */
export function heap(backend: WasmHeapBackend): Uint8Array {
  return backend.wasm.HEAPU8;
}

function data(backend: WasmHeapBackend, t: TensorInfo): WasmTensorData {
  const d = backend.dataIdMap.get(t.dataId);
  if (d === undefined) throw new Error('tensor data is not on the wasm backend');
  return d;
}

export function offsetOf(backend: WasmHeapBackend, t: TensorInfo): number {
  return data(backend, t).memoryOffset;
}

export function idOf(backend: WasmHeapBackend, t: TensorInfo): number {
  return data(backend, t).id;
}

/** The offset of a tensor that the addon takes as optional: -1 when it is absent. */
export function optionalOffset(backend: WasmHeapBackend, t: TensorInfo | undefined): number {
  return t === undefined ? -1 : offsetOf(backend, t);
}
