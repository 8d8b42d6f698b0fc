import { tf } from '../engine/tf.js';
import type { EventSink } from '../events/run-events.js';
import type { Manifest } from '../models/manifest.js';
import { inputTensor } from '../models/input-tensor.js';
import type { Batch } from './batch-source.js';
import { ConfusionTally } from './metrics.js';
import type { StepLoss } from './loss.js';

export interface EvalResult {
  accuracy: number;
  n: number;
  perClass: Record<string, { accuracy: number; n: number }>;
  imagesPerSecond: number;
  /** Mean loss over the images, when a loss was given. */
  loss?: number;
}

/** Inference-mode accuracy, and the mean of `loss` when given. Labels index `manifest.classes`. */
export async function evaluate(
  model: tf.LayersModel, manifest: Manifest, batches: AsyncIterable<Batch>, totalImages: number, emit: EventSink = () => {}, loss?: StepLoss,
): Promise<EvalResult> {
  const tally = new ConfusionTally(manifest.classes);
  const start = performance.now();
  let lossSum = 0;
  for await (const batch of batches) {
    const [predicted, batchLoss] = tf.tidy(() => {
      const x = inputTensor(batch.x, batch.n, manifest.inputShape, manifest.preprocessing);
      const output = model.apply(x, { training: false }) as tf.Tensor;
      return [tf.argMax(output, -1), loss ? loss.compute(output, tf.tensor1d(batch.y, 'int32')) : null];
    });
    tally.add(await predicted.data(), batch.y);
    if (batchLoss) lossSum += (await batchLoss.data())[0]! * batch.n;
    predicted.dispose();
    batchLoss?.dispose();
    const seconds = (performance.now() - start) / 1000;
    emit({ type: 'EvalProgress', imagesSeen: tally.n, totalImages, imagesPerSecond: tally.n / seconds });
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    accuracy: tally.accuracy, n: tally.n, perClass: tally.perClass(), imagesPerSecond: tally.n / Math.max(seconds, 1e-9),
    ...(loss ? { loss: lossSum / Math.max(tally.n, 1) } : {}),
  };
}
