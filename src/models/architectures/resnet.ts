import { tf } from '../../engine/tf.js';
import { batchNorm } from '../../bn/batch-norm-layer.js';
import { reLU } from '../layers/relu-layer.js';
import { conv2d } from '../layers/conv2d-layer.js';
import type { ResNetSpec } from './spec.js';

type SymbolicTensor = tf.SymbolicTensor;

function conv(x: SymbolicTensor, name: string, filters: number, kernel: number, stride: number): SymbolicTensor {
  return conv2d({ name, filters, kernelSize: kernel, strides: stride, padding: 'same', useBias: false, kernelInitializer: 'heNormal' }).apply(x) as SymbolicTensor;
}

function basicBlock(x: SymbolicTensor, name: string, inChannels: number, channels: number, stride: number): SymbolicTensor {
  let y = conv(x, `${name}_conv1`, channels, 3, stride);
  y = batchNorm({ name: `${name}_bn1` }).apply(y) as SymbolicTensor;
  y = reLU({ name: `${name}_relu1` }).apply(y) as SymbolicTensor;
  y = conv(y, `${name}_conv2`, channels, 3, 1);
  y = batchNorm({ name: `${name}_bn2` }).apply(y) as SymbolicTensor;
  let shortcut = x;
  if (stride !== 1 || inChannels !== channels) {
    shortcut = conv(x, `${name}_down_conv`, channels, 1, stride);
    shortcut = batchNorm({ name: `${name}_down_bn` }).apply(shortcut) as SymbolicTensor;
  }
  const sum = tf.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as SymbolicTensor;
  return reLU({ name: `${name}_relu2` }).apply(sum) as SymbolicTensor;
}

/** A ResNet of basic blocks (He et al. 2016). Layer names start with their group. */
export function buildResNet(spec: ResNetSpec): tf.LayersModel {
  const input = tf.input({ shape: spec.inputShape, name: 'input' });
  let x = conv(input, 'stem_conv', spec.stem.channels, spec.stem.kernel, spec.stem.stride);
  x = batchNorm({ name: 'stem_bn' }).apply(x) as SymbolicTensor;
  x = reLU({ name: 'stem_relu' }).apply(x) as SymbolicTensor;
  if (spec.stem.maxPool) x = tf.layers.maxPooling2d({ name: 'stem_pool', poolSize: 3, strides: 2, padding: 'same' }).apply(x) as SymbolicTensor;
  let channels = spec.stem.channels;
  spec.stages.forEach((stage, s) => {
    for (let b = 0; b < stage.blocks; b++) {
      x = basicBlock(x, `block${s + 1}_${b}`, channels, stage.channels, b === 0 ? stage.stride : 1);
      channels = stage.channels;
    }
  });
  x = tf.layers.globalAveragePooling2d({ name: 'head_pool' }).apply(x) as SymbolicTensor;
  const logits = tf.layers.dense({ name: 'head_logits', units: spec.numClasses }).apply(x) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'resnet' });
}
