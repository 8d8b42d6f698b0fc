// FusedBatchNorm (native/fused_batch_norm.cc): BatchNorm with the statistics given, for
// inference and frozen statistics. Statistics, scale and offset of one value per channel (x's
// last axis) run natively; tfjs's kernels cycle flat statistics of other sizes over the flat
// input, and such calls go to the wasm kernel.
import {
  FusedBatchNorm,
  util,
  type FusedBatchNormAttrs,
  type FusedBatchNormInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import { activationCode, type BnActivation } from './bn-activation.js';
import { batchNormShape } from './calibra-batch-norm-train.js';
import { allFloat32, missing, nativeKernelConfig, unsupported, type NativeCall, type Unsupported } from './native-kernel.js';
import { heap, offsetOf, optionalOffset } from './wasm-heap.js';

export interface FusedBatchNormActivationAttrs extends FusedBatchNormAttrs {
  /** Only CalibraFusedBatchNormRelu's; linear when absent. */
  activation?: BnActivation;
}

/** The forward, with the activation its attrs name (CalibraFusedBatchNormRelu shares it). */
export function runFusedBatchNorm(
  { inputs, attrs, backend, addon }: NativeCall<FusedBatchNormInputs, FusedBatchNormActivationAttrs>,
): TensorInfo | Unsupported {
  const { x, mean, variance } = inputs as Record<'x' | 'mean' | 'variance', TensorInfo>;
  const { offset, scale } = inputs;
  const absent = missing(addon, 'fusedBatchNorm');
  if (absent) return absent;
  const channelInputs = [mean, variance, ...[offset, scale].filter((t) => t !== undefined)];
  if (!allFloat32(x, ...channelInputs)) return unsupported('non-float32 input');
  const shape = batchNormShape(x);
  if (shape === undefined) return unsupported(`input of shape [${x.shape}]`);
  if (channelInputs.some((t) => util.sizeFromShape(t.shape) !== shape[2])) {
    return unsupported('statistics, scale and offset must have one value per channel');
  }
  const y = backend.makeOutput(x.shape, 'float32');
  addon.fusedBatchNorm(
    heap(backend),
    ...shape,
    attrs.varianceEpsilon,
    activationCode(attrs.activation),
    offsetOf(backend, x),
    offsetOf(backend, mean),
    offsetOf(backend, variance),
    optionalOffset(backend, offset),
    optionalOffset(backend, scale),
    offsetOf(backend, y),
  );
  return y;
}

export const fusedBatchNormConfig = nativeKernelConfig<FusedBatchNormInputs, FusedBatchNormActivationAttrs>(
  FusedBatchNorm,
  (call) => runFusedBatchNorm({ ...call, attrs: { varianceEpsilon: call.attrs.varianceEpsilon } }),
);
