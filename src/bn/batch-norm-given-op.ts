// Batch normalisation with given statistics (inference, frozen statistics, AdaBN's recalibrated
// ones), optionally followed by the ReLU or ReLU6 of a fused activation layer.
//
// Without an activation it is tf.batchNorm, as before. With one, the native engine's
// CalibraFusedBatchNormRelu normalises and activates in one pass, and its gradient masks dy by
// the output in the same pass as FusedBatchNorm's gradient; elsewhere tfjs's Relu or Relu6
// follows tf.batchNorm.
import { engine, registerGradient, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { tf } from '../engine/tf.js';
import {
  CALIBRA_FUSED_BATCH_NORM_RELU,
  CALIBRA_FUSED_BATCH_NORM_RELU_GRAD,
  type BnActivation,
} from '../engine/native/bn-activation.js';
import { activate, takesFusedKernel } from './bn-activation-op.js';

/** Channels are the last axis; statistics, scale and offset hold one value per channel. */
export function batchNormGiven(
  x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor, offset: Tensor, epsilon: number, activation: BnActivation = 'linear',
): Tensor {
  if (activation !== 'linear' && takesFusedKernel(CALIBRA_FUSED_BATCH_NORM_RELU, x)) {
    return engine().runKernel(
      CALIBRA_FUSED_BATCH_NORM_RELU,
      { x, mean, variance, scale, offset },
      { varianceEpsilon: epsilon, activation } as unknown as NamedAttrMap,
    ) as Tensor;
  }
  return tf.tidy(() => activate(tf.batchNorm(x, mean, variance, offset, scale, epsilon), activation));
}

// As FusedBatchNorm's gradient (the statistics are inputs like the others, so no path runs
// through them), after masking dy by the saved output.
registerGradient({
  kernelName: CALIBRA_FUSED_BATCH_NORM_RELU,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, mean, variance, scale, y] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor];
    const [dx, dmean, dvariance, dscale, doffset] = engine().runKernel(
      CALIBRA_FUSED_BATCH_NORM_RELU_GRAD, { dy: dy as Tensor, x, mean, variance, scale, y }, attrs,
    ) as Tensor[];
    return { x: () => dx!, mean: () => dmean!, variance: () => dvariance!, scale: () => dscale!, offset: () => doffset! };
  },
});
