// tf.layers' ReLU, with maxValue 6 computed by one Relu6 kernel. The stock layer computes
// clipByValue(relu(x), 0, 6): two passes forward and two gradients backward for every ReLU6 of
// a MobileNet, where one of each gives the same values (NaN stays NaN, −0 becomes 0, and the
// gradient passes for 0 < x ≤ 6 either way). Other maxValues and plain ReLU keep the stock
// code. Config and class name are tfjs's, so saved models load in stock tfjs, and registering
// the class under that name gives every model Calibra loads this layer. After a BN layer whose
// fused activation it is, it passes its input through (see pass-through.ts).
import type { Tensor } from '@tensorflow/tfjs-core';

import type { BnActivation } from '../../engine/native/bn-activation.js';
import { tf } from '../../engine/tf.js';
import { passedThrough } from './pass-through.js';

type StockReLU = ReturnType<typeof tf.layers.reLU>;
type ReLUArgs = Parameters<typeof tf.layers.reLU>[0];
type Kwargs = Parameters<StockReLU['call']>[1];

const StockReLU = tf.layers.reLU({}).constructor as new (args?: ReLUArgs) => StockReLU;

/** The cap that tf.relu6 applies. */
const RELU6_CAP = 6;

export class CalibraReLU extends StockReLU {
  static className = 'ReLU';

  /** What this layer computes, when a BN layer can compute it instead; null otherwise. */
  get fusableActivation(): BnActivation | null {
    if (this.maxValue == null) return 'relu';
    return this.maxValue === RELU6_CAP ? 'relu6' : null;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    // An input list of another length goes to the stock layer, for its error.
    if (Array.isArray(inputs) && inputs.length !== 1) return super.call(inputs, kwargs);
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const through = passedThrough(x, this.fusableActivation);
    if (through !== undefined) return through;
    return this.maxValue === RELU6_CAP ? tf.relu6(x) : super.call(inputs, kwargs);
  }
}

tf.serialization.registerClass(CalibraReLU as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

/** Use in place of tf.layers.reLU, which always makes the stock layer. */
export function reLU(args?: ReLUArgs): CalibraReLU {
  return new CalibraReLU(args);
}
