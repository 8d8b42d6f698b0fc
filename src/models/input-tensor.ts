import { tf } from '../engine/tf.js';
import type { Preprocessing } from './manifest.js';

/** Applies the manifest's per-channel scale and offset; a 1-channel model gets the RGB mean. */
export function inputTensor(x: Float32Array, n: number, shape: readonly [number, number, number], pre: Preprocessing): tf.Tensor4D {
  return tf.tidy(() => {
    const [h, w, c] = shape;
    const rgb = tf.tensor4d(x, [n, h, w, 3]);
    const scaled = tf.add(tf.mul(rgb, tf.tensor1d(pre.scale)), tf.tensor1d(pre.offset)) as tf.Tensor4D;
    return c === 1 ? tf.mean(scaled, 3, true) as tf.Tensor4D : scaled;
  });
}
