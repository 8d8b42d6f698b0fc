// CalibraFusedBatchNormRelu (native/fused_batch_norm.cc with an activation): as FusedBatchNorm,
// with attrs {varianceEpsilon, activation} and y = ReLU or ReLU6 of the normalised values,
// written in the same pass.
import type { FusedBatchNormInputs } from '@tensorflow/tfjs-core';

import { CALIBRA_FUSED_BATCH_NORM_RELU } from './bn-activation.js';
import { runFusedBatchNorm, type FusedBatchNormActivationAttrs } from './fused-batch-norm.js';
import { nativeKernelConfig } from './native-kernel.js';

export const calibraFusedBatchNormReluConfig = nativeKernelConfig<FusedBatchNormInputs, FusedBatchNormActivationAttrs>(
  CALIBRA_FUSED_BATCH_NORM_RELU,
  runFusedBatchNorm,
);
