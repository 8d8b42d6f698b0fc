// The input gradient of a 2-D convolution. The wasm backend ships one, but as a plain loop
// about ten times slower than its XNNPACK forward convolution; this one runs XNNPACK
// convolutions.
//
// With stride s, input row h receives only filter rows kh ≡ h + padTop (mod s). Writing
// h + padTop = q·s + r, each phase r is a stride-1 correlation of dy with filter rows
// r, r+s, r+2s, … in reverse order. Each of the s_h·s_w phases is its own convolution with
// its own small filter, so no multiply touches the zeros a dilated dy would hold (that costs
// s² more), nor the zero taps of one combined "sub-pixel" filter (16/9 more at 3x3, stride 2).
// The phases' outputs are then interleaved into dx in one pass. At stride 1 the single
// phase's output usually is dx itself.
import {
  backend_util,
  Conv2D,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type Conv2DBackpropInputInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { assertChannelsLast, withKernelScope, type KernelScope, type Shape4D } from './kernel-utils.js';

/** The input positions h ≡ residue − padBefore (mod stride) along one spatial axis. */
interface Phase {
  residue: number;
  /** Filter taps residue, residue + stride, …; 0 when the residue lies past the filter. */
  taps: number;
  /** Block indices q, with h + padBefore = q·stride + residue, of the first and last position. */
  first: number;
  last: number;
  /** dy padding of the phase's correlation. */
  padBefore: number;
  padAfter: number;
  /** The q of the correlation's output entry 0, and how many entries it has. */
  start: number;
  count: number;
}

function phases(inSize: number, outSize: number, filterSize: number, stride: number, pad: number): Phase[] {
  const result: Phase[] = [];
  for (let residue = 0; residue < stride; residue++) {
    const first = Math.ceil((pad - residue) / stride);
    const last = Math.floor((inSize - 1 + pad - residue) / stride);
    if (last < first) continue;
    const taps = Math.max(0, Math.ceil((filterSize - residue) / stride));
    // Pads are never negative: a correlation that starts before `first` or runs past `last`
    // computes a few unused entries instead of cropping dy.
    const padBefore = Math.max(0, taps - 1 - first);
    const padAfter = Math.max(0, last + 1 - outSize);
    result.push({
      residue,
      taps,
      first,
      last,
      padBefore,
      padAfter,
      start: taps - 1 - padBefore,
      count: outSize + padBefore + padAfter - taps + 1,
    });
  }
  return result;
}

/** [kh, kw, ci, co] → [th, tw, co, ci]: the phase's filter taps, reversed, in and out swapped. */
function phaseFilter(filter: Float32Array, shape: Shape4D, rows: Phase, cols: Phase, strides: [number, number]): Float32Array {
  const [, kW, cIn, cOut] = shape;
  const out = new Float32Array(rows.taps * cols.taps * cOut * cIn);
  let o = 0;
  for (let th = 0; th < rows.taps; th++) {
    const kh = (rows.taps - 1 - th) * strides[0] + rows.residue;
    for (let tw = 0; tw < cols.taps; tw++) {
      const kw = (cols.taps - 1 - tw) * strides[1] + cols.residue;
      const base = (kh * kW + kw) * cIn * cOut;
      for (let co = 0; co < cOut; co++) {
        for (let ci = 0; ci < cIn; ci++) out[o++] = filter[base + ci * cOut + co]!;
      }
    }
  }
  return out;
}

/** Copies a phase's used output entries to their places in dx. */
function interleave(
  scope: KernelScope,
  part: TensorInfo,
  dx: TensorInfo,
  rows: Phase,
  cols: Phase,
  strides: [number, number],
  pads: [number, number],
): void {
  const [batch, height, width, channels] = dx.shape as Shape4D;
  const [, partHeight, partWidth] = part.shape as Shape4D;
  const source = scope.view(part);
  const target = scope.view(dx);
  for (let n = 0; n < batch; n++) {
    for (let q = rows.first; q <= rows.last; q++) {
      const h = q * strides[0] + rows.residue - pads[0];
      const fromRow = (n * partHeight + q - rows.start) * partWidth;
      const toRow = (n * height + h) * width;
      for (let p = cols.first; p <= cols.last; p++) {
        const w = p * strides[1] + cols.residue - pads[1];
        let from = (fromRow + p - cols.start) * channels;
        let to = (toRow + w) * channels;
        for (let c = 0; c < channels; c++) target[to++] = source[from++]!;
      }
    }
  }
}

const conv2DBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as Conv2DBackpropInputInputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as Conv2DBackpropInputAttrs;
  assertChannelsLast(Conv2DBackpropInput, dataFormat);
  const filterShape = filter!.shape as Shape4D;
  const info = backend_util.computeConv2DInfo(
    inputShape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const stride: [number, number] = [info.strideHeight, info.strideWidth];
  const pads: [number, number] = [info.padInfo.top, info.padInfo.left];
  const rowPhases = phases(info.inHeight, info.outHeight, info.filterHeight, stride[0], pads[0]);
  const colPhases = phases(info.inWidth, info.outWidth, info.filterWidth, stride[1], pads[1]);

  return withKernelScope(backend, (scope) => {
    const weights = scope.read(filter!);
    const correlate = (rows: Phase, cols: Phase): TensorInfo =>
      scope.run(
        Conv2D,
        {
          x: dy!,
          filter: scope.constant(
            [rows.taps, cols.taps, info.outChannels, info.inChannels],
            phaseFilter(weights, filterShape, rows, cols, stride),
          ),
        },
        {
          strides: [1, 1],
          pad: [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]],
          dataFormat: 'NHWC',
          dilations: [1, 1],
        },
      );

    const [rows0, cols0] = [rowPhases[0]!, colPhases[0]!];
    if (
      rowPhases.length === 1 && colPhases.length === 1 &&
      rows0.start === rows0.first && rows0.count === info.inHeight &&
      cols0.start === cols0.first && cols0.count === info.inWidth
    ) {
      return correlate(rows0, cols0);
    }
    const dx = scope.alloc(inputShape);
    if ([...rowPhases, ...colPhases].some((phase) => phase.taps === 0)) scope.view(dx).fill(0);
    for (const rows of rowPhases) {
      for (const cols of colPhases) {
        if (rows.taps === 0 || cols.taps === 0) continue;
        interleave(scope, correlate(rows, cols), dx, rows, cols, stride, pads);
      }
    }
    return dx;
  });
};

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput,
};
