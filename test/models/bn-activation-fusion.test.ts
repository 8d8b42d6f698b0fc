// The graph pass that fuses BN layers with the activation after them
// (src/models/bn-activation-fusion.ts): which layers it fuses and which it leaves, that a fused
// model computes what the unfused one does, and that a model cut at a BN layer gets that
// layer's output unactivated.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { batchNorm, type CalibraBatchNorm } from '../../src/bn/batch-norm-layer.js';
import { fuseBatchNormActivations } from '../../src/models/bn-activation-fusion.js';
import { activation } from '../../src/models/layers/activation-layer.js';
import { reLU } from '../../src/models/layers/relu-layer.js';
import { replaceHead } from '../../src/models/head.js';
import { createRng } from '../../src/util/rng.js';

await tf.setBackend('cpu');

type Symbolic = tf.SymbolicTensor;

/** input → conv → BN named 'bn' → `after`(BN output) → dense logits. */
function modelWith(after: (y: Symbolic) => Symbolic): { model: tf.LayersModel; bn: CalibraBatchNorm } {
  const input = tf.input({ shape: [4, 4, 2] });
  const conv = tf.layers.conv2d({ filters: 3, kernelSize: 1, kernelInitializer: tf.initializers.randomNormal({ seed: 1 }) }).apply(input) as Symbolic;
  const bn = batchNorm({ name: 'bn' });
  const y = after(bn.apply(conv) as Symbolic);
  const pooled = tf.layers.globalAveragePooling2d({}).apply(y) as Symbolic;
  const logits = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.randomNormal({ seed: 2 }) }).apply(pooled) as Symbolic;
  return { model: tf.model({ inputs: input, outputs: logits }), bn };
}

const apply = (layer: tf.layers.Layer) => (y: Symbolic): Symbolic => layer.apply(y) as Symbolic;

test('fuses a BN layer read only by a one-input ReLU, ReLU6 or Activation relu/relu6 layer', () => {
  const cases: [string, (y: Symbolic) => Symbolic, string][] = [
    ['ReLU', apply(reLU()), 'relu'],
    ['ReLU maxValue 6', apply(reLU({ maxValue: 6 })), 'relu6'],
    ["Activation('relu')", apply(activation({ activation: 'relu' })), 'relu'],
    ["Activation('relu6')", apply(activation({ activation: 'relu6' })), 'relu6'],
  ];
  for (const [label, after, expected] of cases) {
    const { model, bn } = modelWith(after);
    assert.equal(fuseBatchNormActivations(model), 1, label);
    assert.equal(bn.fusedActivation, expected, label);
  }
});

test('leaves a BN layer unfused when its output has two readers, or the activation is another', () => {
  const cases: [string, (y: Symbolic) => Symbolic][] = [
    ['two readers: a ReLU and an Add', (y) => tf.layers.add({}).apply([reLU().apply(y) as Symbolic, y]) as Symbolic],
    ['LeakyReLU', apply(tf.layers.leakyReLU({}))],
    ['ReLU maxValue 4', apply(reLU({ maxValue: 4 }))],
    ["Activation('tanh')", apply(activation({ activation: 'tanh' }))],
    ['no activation: an Add', (y) => tf.layers.add({}).apply([y, y]) as Symbolic],
  ];
  for (const [label, after] of cases) {
    const { model, bn } = modelWith(after);
    assert.equal(fuseBatchNormActivations(model), 0, label);
    assert.equal(bn.fusedActivation, 'linear', label);
  }
});

function predictions(model: tf.LayersModel, x: tf.Tensor, training: boolean): Float32Array {
  return tf.tidy(() => (model.apply(x, { training }) as tf.Tensor).dataSync() as Float32Array);
}

test('a fused model computes what the unfused one does, in training and inference', () => {
  const x = tf.tensor4d(Float32Array.from({ length: 3 * 32 }, createRng(5).normal), [3, 4, 4, 2]);
  for (const cap of [undefined, 6]) {
    const { model, bn } = modelWith(apply(reLU({ maxValue: cap })));
    bn.setMovingStatistics([0.1, -0.2, 0.3], [0.5, 2, 1]);
    bn.movesAverages = false;
    const unfused = [false, true].map((training) => predictions(model, x, training));
    fuseBatchNormActivations(model);
    assert.notEqual(bn.fusedActivation, 'linear');
    const fused = [false, true].map((training) => predictions(model, x, training));
    fused.forEach((values, t) => values.forEach((v, i) => assert.ok(Math.abs(v - unfused[t]![i]!) < 1e-6, `cap ${cap} training ${t}: ${v} vs ${unfused[t]![i]}`)));
  }
});

test('a model cut at a fused BN layer gets its output unactivated, and the layer stays unfused', () => {
  const { model, bn } = modelWith(apply(reLU()));
  fuseBatchNormActivations(model);
  assert.equal(bn.fusedActivation, 'relu');
  const x = tf.tensor4d(Float32Array.from({ length: 2 * 32 }, createRng(6).normal), [2, 4, 4, 2]);
  const before = predictions(model, x, false);
  const cut = replaceHead(model, 2, 'bn');
  assert.equal(bn.fusedActivation, 'linear');
  // Pooled BN output (before any ReLU) has negative features; a ReLU'd one would not.
  const features = tf.model({ inputs: cut.inputs, outputs: cut.getLayer('head_pool').output as Symbolic });
  assert.ok(Array.from(tf.tidy(() => (features.predict(x) as tf.Tensor).dataSync())).some((v) => v < 0));
  assert.equal(fuseBatchNormActivations(model), 0, 'passing the original model again does not fuse it back');
  assert.deepEqual(Array.from(predictions(model, x, false)), Array.from(before), 'the original model still applies its ReLU');
});
