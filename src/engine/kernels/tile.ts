// Tile for the wasm backend. The shipped kernel computes a multi-index per element and ran at
// about 20 ns per element, which made it the largest cost of a training step: BatchNorm's
// gradient tiles its per-channel factor to the full activation shape.
//
// This one expands the output in place on the wasm heap, one axis at a time from the last:
// each block is copied to its place and then doubled with copyWithin (a memmove) until it is
// repeated enough times. Blocks too small for that to pay off are copied element by element.
import {
  Tile,
  util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  type TileAttrs,
  type TileInputs,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Below this many elements a block is repeated by a plain loop; a copyWithin call costs more. */
const MIN_BLOCK_FOR_MEMMOVE = 64;

type HeapArray = Float32Array | Int32Array | Uint8Array;

function repeatBlocks(out: HeapArray, blocks: number, block: number, reps: number): void {
  const expanded = block * reps;
  for (let j = blocks - 1; j >= 0; j--) {
    const src = j * block;
    const dst = j * expanded;
    if (block >= MIN_BLOCK_FOR_MEMMOVE) {
      if (dst !== src) out.copyWithin(dst, src, src + block);
      for (let filled = block; filled < expanded; filled *= 2) {
        out.copyWithin(dst + filled, dst, dst + Math.min(filled, expanded - filled));
      }
    } else {
      for (let r = reps - 1; r >= 0; r--) {
        const to = dst + r * block;
        for (let e = block - 1; e >= 0; e--) out[to + e] = out[src + e]!;
      }
    }
  }
}

const tile: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as TileInputs;
  const { reps } = attrs as unknown as TileAttrs;
  const wasm = backend as BackendWasm;
  const inShape = x!.shape;
  const outShape = inShape.map((size, axis) => size * reps[axis]!);
  const out = wasm.makeOutput(outShape, x!.dtype) as TensorInfo;
  if (util.sizeFromShape(outShape) === 0) return out;
  const source = wasm.typedArrayFromHeap(x!);
  const target = wasm.typedArrayFromHeap(out);
  target.set(source);
  // Invariant: the prefix of `target` holds axes 0..axis at input size and later axes already
  // expanded; repeating along `axis` expands one more axis.
  let inner = 1;
  for (let axis = inShape.length - 1; axis >= 0; axis--) {
    const size = inShape[axis]!;
    const blocks = util.sizeFromShape(inShape.slice(0, axis));
    if (reps[axis]! > 1) repeatBlocks(target, blocks, size * inner, reps[axis]!);
    inner *= outShape[axis]!;
  }
  return out;
};

export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'wasm',
  kernelFunc: tile,
};
