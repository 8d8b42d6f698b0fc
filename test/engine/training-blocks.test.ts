import test from 'node:test';
import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import { assertClose, modelGradientsOnBothBackends, setUpBackends } from './wasm-vs-cpu.js';

await setUpBackends();

// A BatchNorm in training mode followed (through a convolution) by another one makes the
// first one's beta gradient exactly zero, computed as float noise; hence the absolute floor.
const FLOOR = 1e-6;

type Sym = tf.SymbolicTensor;
const apply = (layer: tf.layers.Layer, x: Sym | Sym[]): Sym => layer.apply(x) as Sym;
const bn = (x: Sym): Sym => apply(tf.layers.batchNormalization(), x);
const relu6 = (x: Sym): Sym => apply(tf.layers.reLU({ maxValue: 6 }), x);

function conv(x: Sym, filters: number, kernelSize: number, strides: number, padding: 'same' | 'valid'): Sym {
  return apply(tf.layers.conv2d({ filters, kernelSize, strides, padding, useBias: false }), x);
}

function depthwise(x: Sym, strides: number, depthMultiplier: number, padding: 'same' | 'valid'): Sym {
  return apply(
    tf.layers.depthwiseConv2d({ kernelSize: 3, strides, depthMultiplier, padding, useBias: false }),
    x,
  );
}

/** MobileNetV2's inverted residual: expand, depthwise, project, and the skip when shapes allow. */
function invertedResidual(x: Sym, expand: number, out: number, strides: number, multiplier: number): Sym {
  const inChannels = x.shape[3]!;
  let h = relu6(bn(conv(x, inChannels * expand, 1, 1, 'same')));
  h = relu6(bn(depthwise(h, strides, multiplier, 'same')));
  h = bn(conv(h, out, 1, 1, 'same'));
  return strides === 1 && out === inChannels ? apply(tf.layers.add(), [x, h]) : h;
}

function mobileNetPieces(): tf.LayersModel {
  const input = tf.input({ shape: [21, 19, 3] });
  let h = relu6(bn(conv(input, 8, 3, 2, 'valid')));
  h = invertedResidual(h, 2, 8, 1, 1);
  h = invertedResidual(h, 2, 10, 2, 2);
  h = invertedResidual(h, 3, 10, 1, 2);
  h = relu6(bn(depthwise(h, 1, 1, 'valid')));
  const pooled = apply(tf.layers.maxPooling2d({ poolSize: 2, strides: 1 }), h);
  const averaged = apply(tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }), pooled);
  h = apply(tf.layers.globalAveragePooling2d({}), averaged);
  const logits = apply(tf.layers.dense({ units: 4 }), h);
  return tf.model({ inputs: input, outputs: logits });
}

/** ResNet's basic block with a projection shortcut, then one with an identity shortcut. */
function resNetBlocks(): tf.LayersModel {
  const input = tf.input({ shape: [12, 10, 4] });
  const block = (x: Sym, filters: number, strides: number): Sym => {
    let h = apply(tf.layers.reLU(), bn(conv(x, filters, 3, strides, 'same')));
    h = bn(conv(h, filters, 3, 1, 'same'));
    const shortcut = strides === 1 && x.shape[3] === filters ? x : bn(conv(x, filters, 1, strides, 'valid'));
    return apply(tf.layers.reLU(), apply(tf.layers.add(), [h, shortcut]));
  };
  let h = block(input, 8, 2);
  h = block(h, 8, 1);
  h = apply(tf.layers.globalAveragePooling2d({}), h);
  return tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 3 }), h) });
}

test('MobileNetV2-style blocks have the same loss and gradient on wasm as on cpu', async () => {
  const { names, ...results } = await modelGradientsOnBothBackends(mobileNetPieces, createRng(2601), 4);
  assertClose(results, 1e-4, names, FLOOR);
});

test('ResNet basic blocks have the same loss and gradient on wasm as on cpu', async () => {
  const { names, ...results } = await modelGradientsOnBothBackends(resNetBlocks, createRng(2602), 4);
  assertClose(results, 1e-4, names, FLOOR);
});
