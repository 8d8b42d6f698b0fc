// The wasm heap cannot grow past 4 GiB. When it is full, the backend's malloc returns 0 and
// tfjs writes the tensor at address 0, corrupting memory before the module aborts. This guard
// turns that allocation into an error instead, so a run can stop with a message that says what
// to change.
import { RunError } from '../errors.js';

export class HeapExhaustedError extends RunError {
  constructor(readonly requestedBytes: number, readonly heapBytes: number) {
    super(`the wasm heap is full: ${(requestedBytes / 2 ** 20).toFixed(0)} MiB more did not fit in ${(heapBytes / 2 ** 30).toFixed(2)} GiB (the limit is 4 GiB)`);
  }
}

interface EmscriptenModule {
  _malloc(bytes: number): number;
  HEAPU8: Uint8Array;
}

const guarded = new WeakSet<object>();

export function guardWasmHeap(wasm: object): void {
  if (guarded.has(wasm)) return;
  guarded.add(wasm);
  const module = wasm as EmscriptenModule;
  const malloc = module._malloc;
  module._malloc = (bytes: number): number => {
    const pointer = malloc(bytes);
    if (pointer === 0 && bytes > 0) throw new HeapExhaustedError(bytes, module.HEAPU8.length);
    return pointer;
  };
}
