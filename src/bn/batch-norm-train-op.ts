// Batch normalisation in training mode: normalise with the batch's own statistics and return
// them, so the layer can update its moving averages from the same pass.
//
// When the backend has the fused `CalibraBatchNormTrain` kernel (the native engine registers
// one for wasm), the forward and its analytic backward each run as one kernel. Otherwise the
// op is composed of tfjs ops and tfjs differentiates it.
//
// With an activation (a BN layer whose ReLU or ReLU6 layer is fused into it), the native
// engine's CalibraBatchNormTrainRelu writes the activated output in the same call, and its
// gradient masks dy by that output inside the BatchNorm gradient's call. Elsewhere the
// activation follows the composition as tfjs ops (bn-activation-op.ts).
import { engine, getKernel, registerGradient, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { tf } from '../engine/tf.js';
import { activate, takesFusedKernel } from './bn-activation-op.js';
import {
  CALIBRA_BATCH_NORM_TRAIN_RELU,
  CALIBRA_BATCH_NORM_TRAIN_RELU_GRAD,
  type BnActivation,
} from '../engine/native/bn-activation.js';

export const BATCH_NORM_TRAIN = 'CalibraBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'CalibraBatchNormTrainGrad';

export interface BatchNormTrainResult {
  y: Tensor;
  /** Per-channel batch mean. */
  mean: Tensor;
  /** Per-channel biased batch variance (divided by the count, not count − 1). */
  variance: Tensor;
}

/**
 * Channels are the last axis; gamma or beta may be absent (Keras `scale: false`, `center:
 * false`). `activation` is applied to y; mean and variance are the normalised input's.
 */
export function batchNormTrain(
  x: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon: number, activation: BnActivation = 'linear',
): BatchNormTrainResult {
  const channels = x.shape[x.rank - 1]!;
  if (activation !== 'linear' && takesFusedKernel(CALIBRA_BATCH_NORM_TRAIN_RELU, x)) {
    return tf.tidy(() => {
      const [y, mean, variance] = engine().runKernel(
        CALIBRA_BATCH_NORM_TRAIN_RELU,
        { x, scale: gamma ?? tf.ones([channels]), offset: beta ?? tf.zeros([channels]) },
        { epsilon, activation } as unknown as NamedAttrMap,
      ) as Tensor[];
      return { y: y!, mean: mean!, variance: variance! };
    }) as unknown as BatchNormTrainResult;
  }
  if (activation !== 'linear') {
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTrain(x, gamma, beta, epsilon);
      return { y: activate(y, activation), mean, variance };
    }) as unknown as BatchNormTrainResult;
  }
  if (getKernel(BATCH_NORM_TRAIN, tf.getBackend()) != null) {
    return tf.tidy(() => {
      const scale = gamma ?? tf.ones([channels]);
      const offset = beta ?? tf.zeros([channels]);
      const [y, mean, variance] = engine().runKernel(
        BATCH_NORM_TRAIN, { x, scale, offset }, { epsilon } as unknown as NamedAttrMap,
      ) as Tensor[];
      return { y: y!, mean: mean!, variance: variance! };
    }) as unknown as BatchNormTrainResult;
  }
  return tf.tidy(() => {
    const axes = [...Array(x.rank - 1).keys()];
    const { mean, variance } = tf.moments(x, axes);
    // tfjs's batchNorm gradient needs scale and offset tensors even when the layer has none.
    const y = tf.batchNorm(x, mean, variance, beta ?? tf.zeros([channels]), gamma ?? tf.ones([channels]), epsilon);
    return { y, mean, variance };
  }) as unknown as BatchNormTrainResult;
}

// The fused kernel's gradient: dy flows to x, scale and offset; the mean and variance outputs
// only feed the moving averages, which are not differentiated.
registerGradient({
  kernelName: BATCH_NORM_TRAIN,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, true],
  gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const dy = (dys as Tensor[])[0]!;
    const [x, scale, mean, variance] = saved as [Tensor, Tensor, Tensor, Tensor];
    const grads = engine().runKernel(
      BATCH_NORM_TRAIN_GRAD, { dy, x, scale, mean, variance }, attrs,
    ) as Tensor[];
    return { x: () => grads[0]!, scale: () => grads[1]!, offset: () => grads[2]! };
  },
});

// The activated kernel's gradient also keeps its output y, which masks dy; y is the tensor the
// next layer reads anyway, so keeping it costs no memory of its own.
registerGradient({
  kernelName: CALIBRA_BATCH_NORM_TRAIN_RELU,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [true, true, true],
  gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const dy = (dys as Tensor[])[0]!;
    const [x, scale, y, mean, variance] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor];
    const grads = engine().runKernel(
      CALIBRA_BATCH_NORM_TRAIN_RELU_GRAD, { dy, x, scale, mean, variance, y }, attrs,
    ) as Tensor[];
    return { x: () => grads[0]!, scale: () => grads[1]!, offset: () => grads[2]! };
  },
});
