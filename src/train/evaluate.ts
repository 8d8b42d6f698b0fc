import { tf } from '../engine/tf.js';
import type { EventSink } from '../events/run-events.js';
import type { Manifest } from '../models/manifest.js';
import { inputTensor } from '../models/input-tensor.js';
import type { Batch } from '../data/batches.js';
import { compactConfusion, type Confusion } from './confusion.js';
import { ConfusionTally, type ClassScores } from './metrics.js';

/**
 * Batches read from files name them, so a wrong answer leads back to its image; batches
 * rendered in memory do not, and their images go by their place in the stream (`#0`, `#1`, …).
 */

/** An image the model got wrong, with the probability it gave its (wrong) answer. */
export interface Misclassified {
  path: string;
  true: string;
  predicted: string;
  probability: number;
}
import type { StepLoss } from './loss.js';

export interface EvalResult {
  accuracy: number;
  n: number;
  perClass: Record<string, ClassScores>;
  confusion: Confusion;
  /** In the order the images were scored. */
  misclassified: Misclassified[];
  imagesPerSecond: number;
  /** Mean loss over the images, when a loss was given. */
  loss?: number;
}

/** Test-time augmentation: `flip` scores each image by the mean of its and its mirror's class probabilities. */
export type Tta = 'none' | 'flip';

export interface EvaluateOptions {
  /** Turns a batch into the model's input (cached features); default: pixels, preprocessed. */
  input?: (batch: Batch) => tf.Tensor;
  tta?: Tta;
}

/**
 * Inference-mode accuracy, and the mean of `loss` when given (on the unaugmented images). Labels
 * index `manifest.classes`.
 */
export async function evaluate(
  model: tf.LayersModel, manifest: Manifest, batches: AsyncIterable<Batch>, totalImages: number, emit: EventSink = () => {}, loss?: StepLoss,
  { input, tta = 'none' }: EvaluateOptions = {},
): Promise<EvalResult> {
  const tally = new ConfusionTally(manifest.classes);
  const misclassified: Misclassified[] = [];
  const start = performance.now();
  let lossSum = 0;
  for await (const batch of batches) {
    const [predicted, confidence, batchLoss] = tf.tidy(() => {
      const x = input ? input(batch) : inputTensor(batch.x, batch.n, manifest.inputShape, manifest.preprocessing);
      const y = model.apply(x, { training: false }) as tf.Tensor;
      const toProbabilities = (out: tf.Tensor) => (manifest.output === 'logits' ? tf.softmax(out) : out);
      // NHWC: axis 2 is the width, so reversing it mirrors each image left to right.
      const probabilities = tta === 'flip'
        ? tf.div(tf.add(toProbabilities(y), toProbabilities(model.apply(tf.reverse(x, 2), { training: false }) as tf.Tensor)), 2)
        : toProbabilities(y);
      return [tf.argMax(probabilities, -1), tf.max(probabilities, -1), loss ? loss.compute(y, tf.tensor1d(batch.y, 'int32')) : null];
    });
    const [p, c] = [await predicted.data(), await confidence.data()];
    if (batchLoss) lossSum += (await batchLoss.data())[0]! * batch.n;
    tf.dispose([predicted, confidence, ...(batchLoss ? [batchLoss] : [])]);
    const offset = tally.n;
    tally.add(p, batch.y);
    for (let i = 0; i < batch.n; i++) {
      if (p[i] === batch.y[i]) continue;
      const path = batch.paths?.[i] ?? `#${offset + i}`;
      misclassified.push({ path, true: manifest.classes[batch.y[i]!]!, predicted: manifest.classes[p[i]!]!, probability: c[i]! });
    }
    const seconds = (performance.now() - start) / 1000;
    emit({ type: 'EvalProgress', imagesSeen: tally.n, totalImages, imagesPerSecond: tally.n / seconds });
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    accuracy: tally.accuracy, n: tally.n, perClass: tally.perClass(), confusion: compactConfusion(manifest.classes, tally.confusion()),
    misclassified, imagesPerSecond: tally.n / Math.max(seconds, 1e-9),
    ...(loss ? { loss: lossSum / Math.max(tally.n, 1) } : {}),
  };
}
