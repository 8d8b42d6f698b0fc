// The elementwise native kernels (native/elementwise.h): one pass over float32 memory, split
// between the threads. Each kernel file says what it computes; this one says which calls they
// take: float32 only, and for Add, Multiply and Sub, operands of the output's shape or one
// row of it (a per-channel vector, or a scalar). Everything else runs the stock wasm kernel.
import {
  backend_util,
  util,
  type BinaryInputs,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import type { NativeAddon } from './load-addon.js';
import { allFloat32, nativeKernelConfig, unsupported, type Unsupported } from './native-kernel.js';
import { heap, offsetOf } from './wasm-heap.js';

type EntryName = Exclude<keyof NativeAddon, 'info' | 'setThreads'>;

/** An addon built before these kernels existed (a checkout not rebuilt since) lacks them. */
function missing(addon: NativeAddon, entry: EntryName): Unsupported | undefined {
  return typeof addon[entry] === 'function' ? undefined : unsupported(`the addon has no ${entry}: rebuild it`);
}

/**
 * A kernel of inputs {x} (or {dy, x} for gradients) and an output of x's shape: the addon's
 * `entry` gets (heap, n, ...numbers(attrs), ...inputs, output).
 */
export function unaryKernelConfig<A extends object = NamedAttrMap>(
  kernelName: string,
  entry: EntryName,
  numbers: (attrs: A) => number[] = () => [],
): KernelConfig {
  return nativeKernelConfig<Record<string, TensorInfo>, A>(kernelName, ({ inputs, attrs, backend, addon }) => {
    const tensors = 'dy' in inputs ? [inputs['dy']!, inputs['x']!] : [inputs['x']!];
    const x = inputs['x']!;
    const absent = missing(addon, entry);
    if (absent) return absent;
    if (!allFloat32(...tensors)) return unsupported('non-float32 input');
    if (tensors.some((t) => !util.arraysEqual(t.shape, x.shape))) return unsupported('inputs of different shapes');
    const out = backend.makeOutput(x.shape, 'float32');
    const n = util.sizeFromShape(x.shape);
    if (n > 0) {
      addon[entry](heap(backend), n, ...numbers(attrs), ...tensors.map((t) => offsetOf(backend, t)), offsetOf(backend, out));
    }
    return out;
  });
}

/** How a binary call's operands line up with its output; the C++ side's `Broadcast`. */
const BROADCAST = { same: 0, bRow: 1, aRow: 2 } as const;

/** Whether `t` holds one value per channel of an output whose last axis has `channels`. */
function isRow(t: TensorInfo, channels: number): boolean {
  const size = util.sizeFromShape(t.shape);
  return size === 1 || (size === channels && t.shape[t.shape.length - 1] === channels);
}

/** Add, Multiply or Sub: the addon's `entry` gets (heap, broadcast, rows, channels, a, b, out). */
export function binaryKernelConfig(kernelName: string, entry: EntryName): KernelConfig {
  return nativeKernelConfig<BinaryInputs, NamedAttrMap>(kernelName, ({ inputs, backend, addon }) => {
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const absent = missing(addon, entry);
    if (absent) return absent;
    if (!allFloat32(a, b)) return unsupported('non-float32 input');
    const shape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = util.sizeFromShape(shape);
    const channels = shape.length === 0 ? 1 : shape[shape.length - 1]!;
    const sizeA = util.sizeFromShape(a.shape);
    const sizeB = util.sizeFromShape(b.shape);
    // The repeated row is the smaller operand, whole: a scalar is a row of one.
    let broadcast: number;
    let rowLength: number;
    if (sizeA === size && sizeB === size) [broadcast, rowLength] = [BROADCAST.same, 1];
    else if (sizeA === size && isRow(b, channels)) [broadcast, rowLength] = [BROADCAST.bRow, sizeB];
    else if (sizeB === size && isRow(a, channels)) [broadcast, rowLength] = [BROADCAST.aRow, sizeA];
    else return unsupported(`broadcasting [${a.shape}] with [${b.shape}]`);
    const out = backend.makeOutput(shape, 'float32');
    if (size > 0) {
      addon[entry](heap(backend), broadcast, size / rowLength, rowLength, offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out));
    }
    return out;
  });
}
