// The part the native convolution kernels share (Conv2D, DepthwiseConv2dNative, their fused
// forms and their gradients; native/conv_common.h): tfjs's geometry of the call, the float32
// check, the output, and the addon's arguments. Each kernel's own file names its kernel, its
// addon entry and its ConvKind.
import {
  backend_util,
  type _FusedMatMulAttrs,
  type KernelConfig,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import { nativeActivation } from './activation.js';
import { convShape } from './conv-geometry.js';
import {
  allFloat32,
  isPerChannel,
  nativeKernelConfig,
  unsupported,
  Unsupported,
  type EntryName,
  type NativeCall,
} from './native-kernel.js';
import { heap, idOf, offsetOf, optionalOffset } from './wasm-heap.js';

/** The attributes of every convolution kernel that its geometry comes from. */
interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dilations?: [number, number] | number | null;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
}

type Call<A> = NativeCall<NamedTensorInfoMap, ConvAttrs & A>;

export interface ConvKind {
  /** A depthwise convolution: filter [h, w, channels, multiplier], a grouped one natively. */
  depthwise: boolean;
  /** With a bias and an activation after the convolution (forward kernels only). */
  fused?: boolean;
}

interface Geometry {
  info: backend_util.Conv2DInfo;
  /** The native ConvShape's numbers. */
  shape: number[];
}

/**
 * The call's geometry as tfjs computes it, or why the native kernel declines the call: among
 * other reasons, `tensors` that are not all float32.
 */
function geometry(
  { attrs }: Call<object>,
  tensors: TensorInfo[],
  inShape: number[],
  filterShape: number[],
  depthwise: boolean,
): Geometry | Unsupported {
  if (!allFloat32(...tensors)) return unsupported('non-float32 input');
  const info = backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    // tfjs-layers passes dilations: null (not undefined), which skips the op default.
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC'),
  );
  const shape = convShape(info, depthwise);
  return shape instanceof Unsupported ? shape : { info, shape };
}

/** Makes the output and runs the addon's `entry` on (heap, ConvShape…, ...args, output). */
function run(
  { backend, addon }: Call<object>,
  entry: EntryName,
  g: Geometry,
  outShape: number[],
  args: number[],
): TensorInfo {
  const out = backend.makeOutput(outShape, 'float32');
  addon[entry](heap(backend), ...g.shape, ...args, offsetOf(backend, out));
  return out;
}

/**
 * A forward convolution, inputs {x, filter}: `entry` gets (x, filter, filterId, y) after the
 * geometry; fused, inputs {x, filter, bias?} and an activation: (x, filter, filterId, bias or
 * -1, activation, alpha, y).
 */
export function convForwardConfig(kernelName: string, entry: EntryName, { depthwise, fused }: ConvKind): KernelConfig {
  type FusedAttrs = Partial<Pick<_FusedMatMulAttrs, 'activation' | 'leakyreluAlpha'>>;
  return nativeKernelConfig(kernelName, (call: Call<FusedAttrs>) => {
    const { x, filter, bias } = call.inputs as Record<'x' | 'filter', TensorInfo> & { bias?: TensorInfo };
    const g = geometry(call, bias ? [x, filter, bias] : [x, filter], x.shape, filter.shape, depthwise);
    if (g instanceof Unsupported) return g;
    const args = [offsetOf(call.backend, x), offsetOf(call.backend, filter), idOf(call.backend, filter)];
    if (fused) {
      const act = nativeActivation(call.attrs.activation, call.attrs.leakyreluAlpha);
      if (act instanceof Unsupported) return act;
      if (bias && !isPerChannel(bias, g.info.outChannels)) return unsupported('bias is not per channel');
      args.push(optionalOffset(call.backend, bias), act.code, act.alpha);
    }
    return run(call, entry, g, g.info.outShape, args);
  });
}

/** The input gradient, inputs {dy, filter}, attrs with inputShape: (dy, filter, filterId, dx). */
export function convBackpropInputConfig(kernelName: string, entry: EntryName, { depthwise }: ConvKind): KernelConfig {
  return nativeKernelConfig(kernelName, (call: Call<{ inputShape: number[] }>) => {
    const { dy, filter } = call.inputs as Record<'dy' | 'filter', TensorInfo>;
    const g = geometry(call, [dy, filter], call.attrs.inputShape, filter.shape, depthwise);
    if (g instanceof Unsupported) return g;
    const args = [offsetOf(call.backend, dy), offsetOf(call.backend, filter), idOf(call.backend, filter)];
    return run(call, entry, g, g.info.inShape, args);
  });
}

/** The filter gradient, inputs {x, dy}, attrs with filterShape: (x, dy, dw). */
export function convBackpropFilterConfig(kernelName: string, entry: EntryName, { depthwise }: ConvKind): KernelConfig {
  return nativeKernelConfig(kernelName, (call: Call<{ filterShape: number[] }>) => {
    const { x, dy } = call.inputs as Record<'x' | 'dy', TensorInfo>;
    const g = geometry(call, [x, dy], x.shape, call.attrs.filterShape, depthwise);
    if (g instanceof Unsupported) return g;
    return run(call, entry, g, call.attrs.filterShape, [offsetOf(call.backend, x), offsetOf(call.backend, dy)]);
  });
}
