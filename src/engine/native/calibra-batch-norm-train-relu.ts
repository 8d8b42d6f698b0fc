// CalibraBatchNormTrainRelu (native/calibra_batch_norm_train.cc with an activation): as
// CalibraBatchNormTrain, with attrs {epsilon, activation} and y = ReLU or ReLU6 of the
// normalised values, written in the same call.
import type { NamedTensorInfoMap } from '@tensorflow/tfjs-core';

import { CALIBRA_BATCH_NORM_TRAIN_RELU } from './bn-activation.js';
import { runBatchNormTrain, type BatchNormTrainAttrs } from './calibra-batch-norm-train.js';
import { nativeKernelConfig } from './native-kernel.js';

export const calibraBatchNormTrainReluConfig = nativeKernelConfig<NamedTensorInfoMap, BatchNormTrainAttrs>(
  CALIBRA_BATCH_NORM_TRAIN_RELU,
  runBatchNormTrain,
);
