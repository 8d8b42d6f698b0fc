import { tf } from '../../engine/tf.js';
import { batchNorm } from '../../bn/batch-norm-layer.js';
import { reLU } from '../layers/relu-layer.js';
import { conv2d } from '../layers/conv2d-layer.js';
import { makeDivisible, type MobileNetV2Spec } from './spec.js';

type SymbolicTensor = tf.SymbolicTensor;

function convBn(x: SymbolicTensor, name: string, filters: number, kernel: number, stride: number, relu: boolean): SymbolicTensor {
  let y = conv2d({ name: `${name}_conv`, filters, kernelSize: kernel, strides: stride, padding: 'same', useBias: false, kernelInitializer: 'heNormal' }).apply(x) as SymbolicTensor;
  y = batchNorm({ name: `${name}_bn` }).apply(y) as SymbolicTensor;
  return relu ? reLU({ name: `${name}_relu6`, maxValue: 6 }).apply(y) as SymbolicTensor : y;
}

function invertedResidual(x: SymbolicTensor, name: string, inChannels: number, outChannels: number, expansion: number, stride: number): SymbolicTensor {
  let y = x;
  if (expansion !== 1) y = convBn(y, `${name}_expand`, inChannels * expansion, 1, 1, true);
  y = tf.layers.depthwiseConv2d({ name: `${name}_dw_conv`, kernelSize: 3, strides: stride, padding: 'same', useBias: false, depthwiseInitializer: 'heNormal' }).apply(y) as SymbolicTensor;
  y = batchNorm({ name: `${name}_dw_bn` }).apply(y) as SymbolicTensor;
  y = reLU({ name: `${name}_dw_relu6`, maxValue: 6 }).apply(y) as SymbolicTensor;
  y = convBn(y, `${name}_project`, outChannels, 1, 1, false);
  if (stride === 1 && inChannels === outChannels) {
    y = tf.layers.add({ name: `${name}_add` }).apply([x, y]) as SymbolicTensor;
  }
  return y;
}

/** Layer names start with their group: `stem_`, `block<k>_` (one group per stage), `head_`. */
export function buildMobileNetV2(spec: MobileNetV2Spec): tf.LayersModel {
  const input = tf.input({ shape: spec.inputShape, name: 'input' });
  let channels = makeDivisible(32 * spec.alpha);
  let x = convBn(input, 'stem', channels, 3, spec.stemStride, true);
  spec.stages.forEach((stage, s) => {
    const out = makeDivisible(stage.channels * spec.alpha);
    for (let r = 0; r < stage.repeats; r++) {
      x = invertedResidual(x, `block${s + 1}_${r}`, channels, out, stage.expansion, r === 0 ? stage.stride : 1);
      channels = out;
    }
  });
  const headChannels = spec.alpha > 1 ? makeDivisible(spec.headChannels * spec.alpha) : spec.headChannels;
  x = convBn(x, 'head', headChannels, 1, 1, true);
  x = tf.layers.globalAveragePooling2d({ name: 'head_pool' }).apply(x) as SymbolicTensor;
  if (spec.dropout > 0) x = tf.layers.dropout({ name: 'head_dropout', rate: spec.dropout }).apply(x) as SymbolicTensor;
  const logits = tf.layers.dense({ name: 'head_logits', units: spec.numClasses }).apply(x) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'mobilenet_v2' });
}
