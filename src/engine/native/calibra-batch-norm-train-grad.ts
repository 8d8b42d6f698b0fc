// CalibraBatchNormTrainGrad (native/calibra_batch_norm_train_grad.cc): inputs {dy, x, scale,
// mean, variance}, attrs {epsilon} → [dx, dscale, doffset], the exact gradient of
// CalibraBatchNormTrain, including the paths through the batch mean and variance.
import { util, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';

import { activationCode } from './bn-activation.js';
import { batchNormShape, type BatchNormTrainAttrs } from './calibra-batch-norm-train.js';
import { allFloat32, nativeKernelConfig, unsupported, type NativeCall, type Unsupported } from './native-kernel.js';
import { heap, offsetOf, optionalOffset } from './wasm-heap.js';

export const CALIBRA_BATCH_NORM_TRAIN_GRAD = 'CalibraBatchNormTrainGrad';

/**
 * The gradient, with dy first masked by the forward's output `y` when the attrs name an
 * activation (CalibraBatchNormTrainReluGrad shares it).
 */
export function runBatchNormTrainGrad(
  { inputs, attrs, backend, addon }: NativeCall<NamedTensorInfoMap, BatchNormTrainAttrs>,
): TensorInfo[] | Unsupported {
  const { dy, x, scale, mean, variance } = inputs as Record<'dy' | 'x' | 'scale' | 'mean' | 'variance', TensorInfo>;
  const activation = attrs.activation ?? 'linear';
  const y = activation === 'linear' ? undefined : inputs['y'];
  if (!allFloat32(dy, x, scale, mean, variance)) return unsupported('non-float32 input');
  const shape = batchNormShape(x);
  if (shape === undefined) return unsupported(`input of shape [${x.shape}]`);
  const c = shape[2];
  if (!util.arraysEqual(dy.shape, x.shape)) return unsupported('dy and x differ in shape');
  if (activation !== 'linear' && (y === undefined || !allFloat32(y) || !util.arraysEqual(y.shape, x.shape))) {
    return unsupported('an activation\'s gradient needs the float32 output y of x\'s shape');
  }
  if ([scale, mean, variance].some((t) => util.sizeFromShape(t.shape) !== c)) {
    return unsupported('scale, mean and variance must have one value per channel');
  }
  const dx = backend.makeOutput(x.shape, 'float32');
  const dscale = backend.makeOutput(scale.shape, 'float32');
  const doffset = backend.makeOutput(scale.shape, 'float32');
  addon.calibraBatchNormTrainGrad(
    heap(backend),
    ...shape,
    attrs.epsilon,
    activationCode(activation),
    offsetOf(backend, dy),
    offsetOf(backend, x),
    offsetOf(backend, scale),
    offsetOf(backend, mean),
    offsetOf(backend, variance),
    optionalOffset(backend, y),
    offsetOf(backend, dx),
    offsetOf(backend, dscale),
    offsetOf(backend, doffset),
  );
  return [dx, dscale, doffset];
}

export const calibraBatchNormTrainGradConfig = nativeKernelConfig<NamedTensorInfoMap, BatchNormTrainAttrs>(
  CALIBRA_BATCH_NORM_TRAIN_GRAD,
  (call) => runBatchNormTrainGrad({ ...call, attrs: { epsilon: call.attrs.epsilon } }),
);
