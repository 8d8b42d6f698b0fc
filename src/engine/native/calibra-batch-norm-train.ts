// CalibraBatchNormTrain (native/calibra_batch_norm_train.cc): inputs {x, scale, offset}, attrs
// {epsilon} → [y, mean, variance], normalising over every axis but the last (channels) with the
// batch's own statistics; the variance is biased. src/bn/batch-norm-train-op.ts calls it.
import { util, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';

import { activationCode, type BnActivation } from './bn-activation.js';
import { allFloat32, nativeKernelConfig, unsupported, type NativeCall, type Unsupported } from './native-kernel.js';
import { heap, offsetOf } from './wasm-heap.js';

export const CALIBRA_BATCH_NORM_TRAIN = 'CalibraBatchNormTrain';

export interface BatchNormTrainAttrs {
  epsilon: number;
  /** Only CalibraBatchNormTrainRelu's; linear when absent. */
  activation?: BnActivation;
}

/** [n, spatial, channels]: x with its inner axes folded, the native BatchNormShape. */
export function batchNormShape(x: TensorInfo): [number, number, number] | undefined {
  if (x.shape.length < 2 || util.sizeFromShape(x.shape) === 0) return undefined;
  const n = x.shape[0]!;
  const c = x.shape[x.shape.length - 1]!;
  return [n, util.sizeFromShape(x.shape) / (n * c), c];
}

/** The forward, with the activation its attrs name (CalibraBatchNormTrainRelu shares it). */
export function runBatchNormTrain(
  { inputs, attrs, backend, addon }: NativeCall<NamedTensorInfoMap, BatchNormTrainAttrs>,
): TensorInfo[] | Unsupported {
  const { x, scale, offset } = inputs as Record<'x' | 'scale' | 'offset', TensorInfo>;
  if (!allFloat32(x, scale, offset)) return unsupported('non-float32 input');
  const shape = batchNormShape(x);
  if (shape === undefined) return unsupported(`input of shape [${x.shape}]`);
  const c = shape[2];
  if (util.sizeFromShape(scale.shape) !== c || util.sizeFromShape(offset.shape) !== c) {
    return unsupported('scale and offset must have one value per channel');
  }
  const y = backend.makeOutput(x.shape, 'float32');
  const mean = backend.makeOutput([c], 'float32');
  const variance = backend.makeOutput([c], 'float32');
  addon.calibraBatchNormTrain(
    heap(backend),
    ...shape,
    attrs.epsilon,
    activationCode(attrs.activation),
    offsetOf(backend, x),
    offsetOf(backend, scale),
    offsetOf(backend, offset),
    offsetOf(backend, y),
    offsetOf(backend, mean),
    offsetOf(backend, variance),
  );
  return [y, mean, variance];
}

export const calibraBatchNormTrainConfig = nativeKernelConfig<NamedTensorInfoMap, BatchNormTrainAttrs>(
  CALIBRA_BATCH_NORM_TRAIN,
  (call) => runBatchNormTrain({ ...call, attrs: { epsilon: call.attrs.epsilon } }),
);
