import { tf } from '../engine/tf.js';

/** A step's objective: the mean loss of a batch's model output. Labels are -1 where unknown. */
export interface StepLoss {
  name: 'cross-entropy' | 'entropy';
  /** Whether the loss reads the labels, i.e. whether accuracy against them means anything. */
  supervised: boolean;
  compute(output: tf.Tensor, labels: tf.Tensor1D): tf.Scalar;
}

/**
 * Mean cross-entropy; exported models often end in softmax, so both output kinds are handled.
 * With label smoothing ε the target is (1 − ε)·one-hot + ε/K, as in PyTorch's CrossEntropyLoss.
 */
export function crossEntropy(output: tf.Tensor, labels: tf.Tensor1D, numClasses: number, kind: 'logits' | 'probabilities', labelSmoothing = 0): tf.Scalar {
  const oneHot = tf.oneHot(labels, numClasses);
  if (kind === 'logits') return tf.losses.softmaxCrossEntropy(oneHot, output, undefined, labelSmoothing) as tf.Scalar;
  const target = labelSmoothing > 0 ? tf.add(tf.mul(oneHot, 1 - labelSmoothing), labelSmoothing / numClasses) : oneHot;
  const logp = tf.log(tf.clipByValue(output, 1e-7, 1));
  return tf.neg(tf.mean(tf.sum(tf.mul(target, logp), -1))) as tf.Scalar;
}

/**
 * Mean Shannon entropy (nats) of the predicted class distributions, TENT's objective:
 * −Σ p·log p per row, averaged over the batch.
 */
export function predictionEntropy(output: tf.Tensor, kind: 'logits' | 'probabilities'): tf.Scalar {
  const logp = kind === 'logits' ? tf.logSoftmax(output, -1) : tf.log(tf.clipByValue(output, 1e-7, 1));
  const p = kind === 'logits' ? tf.exp(logp) : output;
  return tf.neg(tf.mean(tf.sum(tf.mul(p, logp), -1))) as tf.Scalar;
}

export function crossEntropyLoss(numClasses: number, kind: 'logits' | 'probabilities', labelSmoothing = 0): StepLoss {
  return { name: 'cross-entropy', supervised: true, compute: (output, labels) => crossEntropy(output, labels, numClasses, kind, labelSmoothing) };
}

export function entropyLoss(kind: 'logits' | 'probabilities'): StepLoss {
  return { name: 'entropy', supervised: false, compute: (output) => predictionEntropy(output, kind) };
}
