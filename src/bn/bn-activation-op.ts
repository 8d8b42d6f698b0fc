// The activation of a BN layer fused with the ReLU or ReLU6 layer after it, as tfjs ops: what
// the BN ops run where the backend has no fused kernel (wasm without the native addon, cpu).
import { getKernel, type GradSaveFunc, type Tensor } from '@tensorflow/tfjs-core';
import { tf } from '../engine/tf.js';
import type { BnActivation } from '../engine/native/bn-activation.js';

/**
 * ReLU6 whose gradient, like the fused kernels', passes where 0 < y < 6 for its output y (NaN
 * where y is NaN): tfjs's Relu6 gradient also passes at an input of exactly 6, which an output
 * of 6 cannot tell from a larger input. ReLU's gradient is the same either way.
 */
const relu6FromOutput = tf.customGrad((z, save) => {
  const y = tf.relu6(z as Tensor);
  (save as GradSaveFunc)([y]);
  return { value: y, gradFunc: (dy, [out]) => tf.mul(dy, tf.mul(tf.step(out!), tf.step(tf.sub(6, out!)))) };
});

/** ReLU or ReLU6 of `t` composed of tfjs ops, for backends without the fused kernels. */
export function activate(t: Tensor, activation: BnActivation): Tensor {
  switch (activation) {
    case 'linear': return t;
    case 'relu': return tf.relu(t);
    case 'relu6': return relu6FromOutput(t);
  }
}

/** Whether a fused kernel registered for the backend takes `x`: float32, which its native side needs. */
export function takesFusedKernel(kernelName: string, x: Tensor): boolean {
  return x.dtype === 'float32' && getKernel(kernelName, tf.getBackend()) != null;
}

