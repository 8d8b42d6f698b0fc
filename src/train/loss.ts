import { tf } from '../engine/tf.js';

/** Mean cross-entropy; exported models often end in softmax, so both output kinds are handled. */
export function crossEntropy(output: tf.Tensor, labels: tf.Tensor1D, numClasses: number, kind: 'logits' | 'probabilities'): tf.Scalar {
  const oneHot = tf.oneHot(labels, numClasses);
  if (kind === 'logits') return tf.losses.softmaxCrossEntropy(oneHot, output) as tf.Scalar;
  const logp = tf.log(tf.clipByValue(output, 1e-7, 1));
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logp), -1))) as tf.Scalar;
}
