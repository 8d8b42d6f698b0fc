// The elementwise native kernels (native/elementwise.h): one pass over float32 memory, split
// between the threads. Each kernel file says what it computes; this one says which calls they
// take: float32 only, and for Add, Multiply, Sub and RealDiv, operands of the output's shape or one
// broadcast along adjacent axes (see blockLayout). Everything else runs the stock wasm kernel.
import {
  backend_util,
  util,
  type BinaryInputs,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import { allFloat32, missing, nativeKernelConfig, unsupported, type EntryName } from './native-kernel.js';
import { heap, offsetOf } from './wasm-heap.js';

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
const BROADCAST = { same: 0, bSmall: 1, aSmall: 2 } as const;

/**
 * The output `shape` as [outer, mid, inner] such that an operand of shape `small`, broadcast to
 * it, is one [outer, 1, inner] block repeated along mid: the axes it is broadcast along must be
 * adjacent, not counting the output's axes of length 1. A per-channel vector or a scalar is
 * [1, rows, channels] or [1, size, 1], a [16, 1] column against [16, 2] is [16, 2, 1], a
 * global pool's gradient [16, 1, 1, C] against [16, 7, 7, C] is [16, 49, C].
 */
function blockLayout(small: readonly number[], shape: readonly number[]): [number, number, number] | undefined {
  const padded = [...new Array<number>(shape.length - small.length).fill(1), ...small];
  const broadcast = shape.map((d, i) => d !== 1 && padded[i] !== d);
  const first = broadcast.indexOf(true);
  const last = broadcast.lastIndexOf(true);
  if (shape.slice(first, last + 1).some((d, i) => d !== 1 && !broadcast[first + i])) return undefined;
  return [
    util.sizeFromShape(shape.slice(0, first)),
    util.sizeFromShape(shape.slice(first, last + 1)),
    util.sizeFromShape(shape.slice(last + 1)),
  ];
}

interface BinaryLayout {
  broadcast: number;
  /** [outer, mid, inner]: the output's shape as the C++ side's `BinaryCall` sees it. */
  blocks: [number, number, number];
}

/** How a call of operands `a` and `b` and output `shape` runs, or undefined if it cannot. */
function binaryLayout(a: TensorInfo, b: TensorInfo, shape: number[]): BinaryLayout | undefined {
  const size = util.sizeFromShape(shape);
  const fullA = util.sizeFromShape(a.shape) === size;
  const fullB = util.sizeFromShape(b.shape) === size;
  if (fullA && fullB) return { broadcast: BROADCAST.same, blocks: [1, 1, size] };
  if (!fullA && !fullB) return undefined;
  const [broadcast, small] = fullA ? [BROADCAST.bSmall, b] : [BROADCAST.aSmall, a];
  const blocks = blockLayout(small.shape, shape);
  return blocks && { broadcast, blocks };
}

/** Add, Multiply, Sub or RealDiv: the addon's `entry` gets (heap, broadcast, outer, mid, inner, a, b, out). */
export function binaryKernelConfig(kernelName: string, entry: EntryName): KernelConfig {
  return nativeKernelConfig<BinaryInputs, NamedAttrMap>(kernelName, ({ inputs, backend, addon }) => {
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const absent = missing(addon, entry);
    if (absent) return absent;
    if (!allFloat32(a, b)) return unsupported('non-float32 input');
    const shape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    if (util.sizeFromShape(shape) === 0) return backend.makeOutput(shape, 'float32');
    const layout = binaryLayout(a, b, shape);
    if (layout === undefined) return unsupported(`broadcasting [${a.shape}] with [${b.shape}]`);
    const out = backend.makeOutput(shape, 'float32');
    const operands = [offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out)];
    addon[entry](heap(backend), layout.broadcast, ...layout.blocks, ...operands);
    return out;
  });
}
