// CalibraFusedBatchNormGrad (native/calibra_fused_batch_norm_grad.cc): FusedBatchNorm's
// gradient with respect to all its inputs in one pass, multi-threaded (formulas in
// src/engine/kernels/fused-batch-norm-grad.ts, which sends only per-channel statistics here).
import { util, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';

import { CALIBRA_FUSED_BATCH_NORM_GRAD } from '../kernels/fused-batch-norm-grad.js';
import { activationCode } from './bn-activation.js';
import { batchNormShape } from './calibra-batch-norm-train.js';
import type { FusedBatchNormActivationAttrs } from './fused-batch-norm.js';
import { allFloat32, missing, nativeKernelConfig, unsupported, type NativeCall, type Unsupported } from './native-kernel.js';
import { heap, offsetOf, optionalOffset } from './wasm-heap.js';

/**
 * The gradient, with dy masked by the forward's output `y` on the way in when the attrs name an
 * activation (CalibraFusedBatchNormReluGrad shares it).
 */
export function runFusedBatchNormGrad(
  { inputs, attrs, backend, addon }: NativeCall<NamedTensorInfoMap, FusedBatchNormActivationAttrs>,
): TensorInfo[] | Unsupported {
  const { dy, x, mean, variance } = inputs as Record<'dy' | 'x' | 'mean' | 'variance', TensorInfo>;
  const scale = inputs['scale'];
  const activation = attrs.activation ?? 'linear';
  const y = activation === 'linear' ? undefined : inputs['y'];
  const absent = missing(addon, 'calibraFusedBatchNormGrad');
  if (absent) return absent;
  const channelInputs = scale === undefined ? [mean, variance] : [mean, variance, scale];
  if (!allFloat32(dy, x, ...channelInputs)) return unsupported('non-float32 input');
  const shape = batchNormShape(x);
  if (shape === undefined) return unsupported(`input of shape [${x.shape}]`);
  if (!util.arraysEqual(dy.shape, x.shape)) return unsupported('dy and x differ in shape');
  if (activation !== 'linear' && (y === undefined || !allFloat32(y) || !util.arraysEqual(y.shape, x.shape))) {
    return unsupported('an activation\'s gradient needs the float32 output y of x\'s shape');
  }
  if (channelInputs.some((t) => util.sizeFromShape(t.shape) !== shape[2])) {
    return unsupported('statistics and scale must have one value per channel');
  }
  const dx = backend.makeOutput(x.shape, 'float32');
  const channelGrads = [0, 1, 2, 3].map(() => backend.makeOutput(mean.shape, 'float32'));
  addon.calibraFusedBatchNormGrad(
    heap(backend),
    ...shape,
    attrs.varianceEpsilon,
    activationCode(activation),
    offsetOf(backend, dy),
    offsetOf(backend, x),
    offsetOf(backend, mean),
    offsetOf(backend, variance),
    optionalOffset(backend, scale),
    optionalOffset(backend, y),
    offsetOf(backend, dx),
    ...channelGrads.map((t) => offsetOf(backend, t)),
  );
  return [dx, ...channelGrads];
}

export const calibraFusedBatchNormGradConfig = nativeKernelConfig<NamedTensorInfoMap, FusedBatchNormActivationAttrs>(
  CALIBRA_FUSED_BATCH_NORM_GRAD,
  (call) => runFusedBatchNormGrad({ ...call, attrs: { varianceEpsilon: call.attrs.varianceEpsilon } }),
);
