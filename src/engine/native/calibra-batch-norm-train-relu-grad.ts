// CalibraBatchNormTrainReluGrad (native/calibra_batch_norm_train_grad.cc with an activation):
// inputs {dy, x, scale, mean, variance, y}, attrs {epsilon, activation} → [dx, dscale, doffset],
// CalibraBatchNormTrainRelu's gradient: dy masked by its output y (0 < y, and y < 6 for ReLU6),
// then the BatchNorm gradient, in one call.
import type { NamedTensorInfoMap } from '@tensorflow/tfjs-core';

import { CALIBRA_BATCH_NORM_TRAIN_RELU_GRAD } from './bn-activation.js';
import { runBatchNormTrainGrad } from './calibra-batch-norm-train-grad.js';
import type { BatchNormTrainAttrs } from './calibra-batch-norm-train.js';
import { nativeKernelConfig } from './native-kernel.js';

export const calibraBatchNormTrainReluGradConfig = nativeKernelConfig<NamedTensorInfoMap, BatchNormTrainAttrs>(
  CALIBRA_BATCH_NORM_TRAIN_RELU_GRAD,
  runBatchNormTrainGrad,
);
