// tf.layers' Activation, which passes its input through after a BN layer whose fused activation
// it is (see pass-through.ts); otherwise the stock layer. Config and class name are tfjs's, so
// saved models load in stock tfjs, and registering the class under that name gives every model
// Calibra loads this layer.
import type { Tensor } from '@tensorflow/tfjs-core';

import type { BnActivation } from '../../engine/native/bn-activation.js';
import { tf } from '../../engine/tf.js';
import { passedThrough } from './pass-through.js';

type StockActivation = ReturnType<typeof tf.layers.activation>;
type ActivationArgs = Parameters<typeof tf.layers.activation>[0];
type Kwargs = Parameters<StockActivation['call']>[1];

const StockActivation = tf.layers.activation({ activation: 'linear' }).constructor as new (args: ActivationArgs) => StockActivation;

export class CalibraActivation extends StockActivation {
  static className = 'Activation';

  /** What this layer computes, when a BN layer can compute it instead; null otherwise. */
  get fusableActivation(): BnActivation | null {
    const name = this.activation.getClassName();
    return name === 'relu' || name === 'relu6' ? name : null;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    if (!Array.isArray(inputs) || inputs.length === 1) {
      const through = passedThrough(Array.isArray(inputs) ? inputs[0]! : inputs, this.fusableActivation);
      if (through !== undefined) return through;
    }
    return super.call(inputs, kwargs);
  }
}

tf.serialization.registerClass(CalibraActivation as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

/** Use in place of tf.layers.activation, which always makes the stock layer. */
export function activation(args: ActivationArgs): CalibraActivation {
  return new CalibraActivation(args);
}
