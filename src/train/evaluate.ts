import { tf } from '../engine/tf.js';
import type { EventSink } from '../events/run-events.js';
import type { Manifest } from '../models/manifest.js';
import { inputTensor } from '../models/input-tensor.js';
import type { Batch } from './batch-source.js';
import { ConfusionTally } from './metrics.js';

export interface EvalResult {
  accuracy: number;
  n: number;
  perClass: Record<string, { accuracy: number; n: number }>;
  imagesPerSecond: number;
}

/** Inference-mode accuracy. Labels index `manifest.classes`. */
export async function evaluate(
  model: tf.LayersModel, manifest: Manifest, batches: AsyncIterable<Batch>, totalImages: number, emit: EventSink = () => {},
): Promise<EvalResult> {
  const tally = new ConfusionTally(manifest.classes);
  const start = performance.now();
  for await (const batch of batches) {
    const predicted = tf.tidy(() => {
      const x = inputTensor(batch.x, batch.n, manifest.inputShape, manifest.preprocessing);
      return tf.argMax(model.apply(x, { training: false }) as tf.Tensor, -1);
    });
    tally.add(await predicted.data(), batch.y);
    predicted.dispose();
    const seconds = (performance.now() - start) / 1000;
    emit({ type: 'EvalProgress', imagesSeen: tally.n, totalImages, imagesPerSecond: tally.n / seconds });
  }
  const seconds = (performance.now() - start) / 1000;
  return { accuracy: tally.accuracy, n: tally.n, perClass: tally.perClass(), imagesPerSecond: tally.n / Math.max(seconds, 1e-9) };
}
