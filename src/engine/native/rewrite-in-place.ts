// What lets a native call overwrite tensors instead of making new ones (the optimizer updates:
// a step's variables and slots, rewritten where they are). tfjs treats tensor memory as
// immutable, and two things rely on it, so a tensor is written only when:
// - nothing else reads its memory: Identity, Cast and Reshape share memory between tensors
//   (see identity.ts), each share counted in the backend's refCount;
// - caches keyed on its id forget it: the native weight reorders (native/common.cc weights_as)
//   and XNNPACK's operators are keyed on the wasm tensor id, as for a tensor that never changes.
//   A rewritten tensor takes a fresh id, as a new tensor would have.
import type { DataId, Tensor } from '@tensorflow/tfjs-core';

import { tf } from '../tf.js';
import { loadAddon, type NativeAddon } from './load-addon.js';
import type { InPlaceEntryName } from './native-kernel.js';
import { nativeKernelsActive } from './register-all.js';
import { asWasmHeapBackend, heap, offsetOf, type WasmHeapBackend } from './wasm-heap.js';

/** The parts of BackendWasm that give a tensor's memory a new id; public, but untyped outside. */
interface RenewableBackend extends WasmHeapBackend {
  dataIdNextNumber: number;
  readonly wasm: WasmHeapBackend['wasm'] & {
    readonly tfjs: {
      registerTensor(id: number, size: number, memoryOffset: number): void;
      disposeData(id: number): void;
    };
  };
  readonly dataIdMap: { get(dataId: DataId): { id: number; memoryOffset: number; refCount: number } | undefined };
}

export interface InPlaceTarget {
  readonly backend: RenewableBackend;
  readonly addon: NativeAddon;
}

/** The native engine's backend and addon when `entry` can run now, else null. */
export function inPlaceTarget(entry: InPlaceEntryName): InPlaceTarget | null {
  if (!nativeKernelsActive() || tf.getBackend() !== 'wasm') return null;
  const load = loadAddon();
  if (!load.loaded || typeof load.addon[entry] !== 'function') return null;
  return { backend: asWasmHeapBackend(tf.backend()) as RenewableBackend, addon: load.addon };
}

/**
 * Whether a call may write `written` and read `read` (all of one size) in place: float32, the
 * written tensors each the only tensor on their memory, and no tensor given twice.
 */
export function writableInPlace(target: InPlaceTarget, written: readonly Tensor[], read: readonly Tensor[]): boolean {
  const all = [...written, ...read];
  const size = all[0]!.size;
  if (all.some((t) => t.dtype !== 'float32' || t.size !== size)) return false;
  if (new Set(all.map((t) => t.dataId)).size !== all.length) return false;
  return written.every((t) => target.backend.dataIdMap.get(t.dataId)?.refCount === 1);
}

/** Gives rewritten tensors fresh ids (see above); their memory and tfjs tensors stay. */
export function renewIds(target: InPlaceTarget, rewritten: readonly Tensor[]): void {
  const { backend } = target;
  for (const t of rewritten) {
    const data = backend.dataIdMap.get(t.dataId)!;
    backend.wasm.tfjs.disposeData(data.id);
    data.id = backend.dataIdNextNumber++;
    backend.wasm.tfjs.registerTensor(data.id, t.size, data.memoryOffset);
  }
}

/** How one multi-variable native update reads its variables (see updateInPlace). */
export interface InPlaceUpdate<U> {
  entry: InPlaceEntryName;
  /** The variable's tensors, in its table row's order. */
  tensors(u: U): Tensor[];
  /** Those of them the call rewrites; it only reads the others. */
  written(u: U): Tensor[];
  /** The numbers after the offsets and the element count in the variable's table row. */
  scalars(u: U): number[];
  /** Calls the addon's entry on the heap and the table. */
  call(addon: NativeAddon, heapBuffer: ReturnType<typeof heap>, table: Float64Array): void;
}

/**
 * Runs `update` in place on the updates it can take (native engine on, written tensors not
 * shared with others), one table row per variable: its tensors' heap offsets, the element
 * count, then the scalars. Returns the others, for the per-variable kernel.
 */
export function updateInPlace<U>(update: InPlaceUpdate<U>, updates: readonly U[]): U[] {
  const target = inPlaceTarget(update.entry);
  if (target === null) return [...updates];
  const rest: U[] = [];
  const done: U[] = [];
  for (const u of updates) {
    const written = update.written(u);
    const read = update.tensors(u).filter((t) => !written.includes(t));
    (writableInPlace(target, written, read) ? done : rest).push(u);
  }
  if (done.length === 0) return rest;
  const { backend, addon } = target;
  const rows = done.map((u) => {
    const tensors = update.tensors(u);
    return [...tensors.map((t) => offsetOf(backend, t)), tensors[0]!.size, ...update.scalars(u)];
  });
  const table = new Float64Array(rows.flat());
  update.call(addon, heap(backend), table);
  renewIds(target, done.flatMap((u) => update.written(u)));
  return rest;
}
