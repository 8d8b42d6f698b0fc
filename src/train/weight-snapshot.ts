// A copy of every weight of a model, trainable or not (BN moving statistics included), to put
// back later: how keeping the best epoch returns to it after the epochs that followed. Each copy
// stays paired with its own weight: `model.weights` lists trainable weights first, so its order
// changes whenever freezing does (between the stages of a run).
import { tf } from '../engine/tf.js';

export class WeightSnapshot {
  private constructor(private readonly copies: ReadonlyMap<tf.LayerVariable, tf.Tensor>) {}

  static take(model: tf.LayersModel): WeightSnapshot {
    return new WeightSnapshot(new Map(model.weights.map((w) => [w, tf.clone(w.read())])));
  }

  /** The copies in `model.weights` order, for a checkpoint. */
  tensors(model: tf.LayersModel): tf.Tensor[] {
    return model.weights.map((w) => this.copies.get(w)!);
  }

  /** A snapshot made of tensors in `model.weights` order (a checkpoint's); it owns them. */
  static of(model: tf.LayersModel, tensors: readonly tf.Tensor[]): WeightSnapshot {
    return new WeightSnapshot(new Map(model.weights.map((w, i) => [w, tensors[i]!])));
  }

  restore(model: tf.LayersModel): void {
    const weights = model.weights;
    const missing = weights.filter((w) => !this.copies.has(w));
    if (missing.length > 0 || weights.length !== this.copies.size) throw new Error(`weight snapshot: not of this model (${missing[0]?.name ?? 'weights differ'})`);
    for (const w of weights) w.write(this.copies.get(w)!);
  }

  dispose(): void {
    tf.dispose([...this.copies.values()]);
  }
}
