// CalibraFusedBatchNormReluGrad (native/calibra_fused_batch_norm_grad.cc with an activation):
// inputs {dy, x, mean, variance, scale, y}, attrs {varianceEpsilon, activation} → [dx, dmean,
// dvariance, dscale, doffset], CalibraFusedBatchNormRelu's gradient: dy masked by its output y
// (0 < y, and y < 6 for ReLU6) in the same pass as FusedBatchNorm's gradient.
import type { NamedTensorInfoMap } from '@tensorflow/tfjs-core';

import { CALIBRA_FUSED_BATCH_NORM_RELU_GRAD } from './bn-activation.js';
import { runFusedBatchNormGrad } from './calibra-fused-batch-norm-grad.js';
import type { FusedBatchNormActivationAttrs } from './fused-batch-norm.js';
import { nativeKernelConfig } from './native-kernel.js';

export const calibraFusedBatchNormReluGradConfig = nativeKernelConfig<NamedTensorInfoMap, FusedBatchNormActivationAttrs>(
  CALIBRA_FUSED_BATCH_NORM_RELU_GRAD,
  runFusedBatchNormGrad,
);
