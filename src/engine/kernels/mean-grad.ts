// Mean's gradient without a tensor of ones. tfjs's multiplies dy by ones of x's shape, which it
// fills in JS and copies to the heap on every step (a global average pool's input is the
// largest: 4 MB per MobileNetV2 step), then divides by the count. Dividing dy by the count first
// and tiling the quotient yields the same float32 values, dy / n, in one pass over the output.
import { Mean, util, type GradConfig, type MeanAttrs, type Tensor } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';

/** Mean's gradient (`stock` is tfjs's, kept for non-float32 tensors). */
export function meanGradient(stock: GradConfig): GradConfig {
  return {
    kernelName: Mean,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [Tensor];
      const upstream = dy as Tensor;
      if (x.dtype !== 'float32' || upstream.dtype !== 'float32') return stock.gradFunc(dy, saved, attrs);
      const axes = util.parseAxisParam((attrs as unknown as MeanAttrs).axis, x.shape);
      const kept = x.shape.map((size, axis) => (axes.includes(axis) ? 1 : size));
      const count = axes.reduce((n, axis) => n * x.shape[axis]!, 1);
      return { x: () => tf.broadcastTo(tf.div(tf.reshape(upstream, kept), count), x.shape) };
    },
  };
}
