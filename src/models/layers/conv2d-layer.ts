// tf.layers' Conv2D, with the convolution a BN layer follows (no bias, no activation) run as
// tf.conv2d. The stock layer runs every Conv2D through tf.fused.conv2d, whose custom gradient
// computes the gradients of both its input and its kernel at once, and keeps its output for
// the backward pass. tf.conv2d's registered gradient is one function per input, and backprop
// only calls those on a path to a trainable variable: the gradient of the image a stem
// convolution reads, or of a frozen block's output, is never computed (a full backward-data
// convolution each: 3.4 ms of a MobileNetV2 224 step at batch 16). The values are the same
// convolution's. Config and class name are tfjs's, so saved models load in stock tfjs, and
// registering the class under that name gives every model Calibra loads this layer.
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';

import { tf } from '../../engine/tf.js';

type StockConv2D = ReturnType<typeof tf.layers.conv2d>;
type Conv2DArgs = Parameters<typeof tf.layers.conv2d>[0];
type Kwargs = Parameters<StockConv2D['call']>[1];

const StockConv2D = tf.layers.conv2d({ filters: 1, kernelSize: 1 }).constructor as new (args: Conv2DArgs) => StockConv2D;

export class CalibraConv2D extends StockConv2D {
  static className = 'Conv2D';

  private get plainConvolution(): boolean {
    return this.bias == null && this.activation.getClassName() === 'linear' && this.dataFormat === 'channelsLast' && this.padding !== 'causal';
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    // An input list of another length goes to the stock layer, for its error.
    if (!this.plainConvolution || (Array.isArray(inputs) && inputs.length !== 1)) return super.call(inputs, kwargs);
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const padding = this.padding === 'same' ? 'same' : 'valid';
    return tf.tidy(() => tf.conv2d(x as Tensor4D, this.kernel!.read() as Tensor4D, this.strides as [number, number], padding, 'NHWC', this.dilationRate as [number, number]));
  }
}

tf.serialization.registerClass(CalibraConv2D as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

/** Use in place of tf.layers.conv2d, which always makes the stock layer. */
export function conv2d(args: Conv2DArgs): CalibraConv2D {
  return new CalibraConv2D(args);
}
