// A copy of every weight of a model, trainable or not (BN moving statistics included), to put
// back later: how keeping the best epoch returns to it after the epochs that followed.
import { tf } from '../engine/tf.js';

export class WeightSnapshot {
  private constructor(private readonly values: tf.Tensor[]) {}

  static take(model: tf.LayersModel): WeightSnapshot {
    return new WeightSnapshot(model.weights.map((w) => tf.clone(w.read())));
  }

  restore(model: tf.LayersModel): void {
    const weights = model.weights;
    if (weights.length !== this.values.length) throw new Error(`weight snapshot: taken of ${this.values.length} weights, restored into ${weights.length}`);
    weights.forEach((w, i) => w.write(this.values[i]!));
  }

  dispose(): void {
    tf.dispose(this.values);
  }
}
