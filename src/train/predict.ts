// Per-image predictions: the top classes and their probabilities, in inference mode.
import { tf } from '../engine/tf.js';
import type { Manifest } from '../models/manifest.js';
import { inputTensor } from '../models/input-tensor.js';
import type { FileBatch } from '../data/batches.js';

export interface Prediction {
  path: string;
  class: string;
  probability: number;
  top: { class: string; probability: number }[];
}

export async function predictBatches(
  model: tf.LayersModel, manifest: Manifest, batches: AsyncIterable<FileBatch>, top: number,
): Promise<Prediction[]> {
  const out: Prediction[] = [];
  const k = Math.min(top, manifest.classes.length);
  for await (const batch of batches) {
    const { values, indices } = tf.tidy(() => {
      const x = inputTensor(batch.x, batch.n, manifest.inputShape, manifest.preprocessing);
      const y = model.apply(x, { training: false }) as tf.Tensor2D;
      const probabilities = manifest.output === 'logits' ? tf.softmax(y) : y;
      return tf.topk(probabilities, k);
    });
    const [v, i] = [await values.data(), await indices.data()];
    tf.dispose([values, indices]);
    batch.paths.forEach((path, n) => {
      const ranked = Array.from({ length: k }, (_, j) => ({ class: manifest.classes[i[n * k + j]!]!, probability: v[n * k + j]! }));
      out.push({ path, class: ranked[0]!.class, probability: ranked[0]!.probability, top: ranked });
    });
  }
  return out;
}
