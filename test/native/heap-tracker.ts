// Live and peak bytes the wasm backend has malloc'ed, counted at the heap's own malloc and free:
// tf.memory() and tf.profile's peakBytes miss memory the native kernels' outputs share.
import { tf } from '../../src/engine/tf.js';

interface WasmHeap { _malloc(bytes: number): number; _free(pointer: number): void }

export interface HeapTracker {
  /** Starts a new peak from what is live now. */
  reset(): void;
  /** The peak since the last reset, above `start` bytes. */
  peakAbove(start: number): number;
  readonly bytes: number;
}

/** Wraps the current wasm backend's malloc and free; call once the engine is set up. */
export function trackWasmHeap(): HeapTracker {
  const live = new Map<number, number>();
  let bytes = 0;
  let peak = 0;
  const wasm = (tf.backend() as unknown as { wasm: WasmHeap }).wasm;
  const malloc = wasm._malloc;
  const free = wasm._free;
  wasm._malloc = (n: number): number => {
    const p = malloc(n);
    live.set(p, n);
    bytes += n;
    peak = Math.max(peak, bytes);
    return p;
  };
  wasm._free = (p: number): void => {
    bytes -= live.get(p) ?? 0;
    live.delete(p);
    free(p);
  };
  return {
    reset: () => { peak = bytes; },
    peakAbove: (start: number) => peak - start,
    get bytes() { return bytes; },
  };
}
