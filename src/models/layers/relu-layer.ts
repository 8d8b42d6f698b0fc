// tf.layers' ReLU, with maxValue 6 computed by one Relu6 kernel. The stock layer computes
// clipByValue(relu(x), 0, 6): two passes forward and two gradients backward for every ReLU6 of
// a MobileNet, where one of each gives the same values (NaN stays NaN, −0 becomes 0, and the
// gradient passes for 0 < x ≤ 6 either way). Other maxValues and plain ReLU keep the stock
// code. Config and class name are tfjs's, so saved models load in stock tfjs, and registering
// the class under that name gives every model Calibra loads this layer.
import type { Tensor } from '@tensorflow/tfjs-core';

import { tf } from '../../engine/tf.js';

type StockReLU = ReturnType<typeof tf.layers.reLU>;
type ReLUArgs = Parameters<typeof tf.layers.reLU>[0];
type Kwargs = Parameters<StockReLU['call']>[1];

const StockReLU = tf.layers.reLU({}).constructor as new (args?: ReLUArgs) => StockReLU;

/** The cap that tf.relu6 applies. */
const RELU6_CAP = 6;

export class CalibraReLU extends StockReLU {
  static className = 'ReLU';

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    // An input list of another length goes to the stock layer, for its error.
    if (this.maxValue !== RELU6_CAP || (Array.isArray(inputs) && inputs.length !== 1)) {
      return super.call(inputs, kwargs);
    }
    return tf.relu6(Array.isArray(inputs) ? inputs[0]! : inputs);
  }
}

tf.serialization.registerClass(CalibraReLU as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

/** Use in place of tf.layers.reLU, which always makes the stock layer. */
export function reLU(args?: ReLUArgs): CalibraReLU {
  return new CalibraReLU(args);
}
