// Calibra's Conv2D layer: the stock layer's values and kernel gradients, no gradient for an input
// that leads to no trainable variable, and tfjs's class name on disk.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { CalibraConv2D, conv2d } from '../../src/models/layers/conv2d-layer.js';
import { variableGradsFreeing } from '../../src/engine/freeing-gradients.js';

await tf.setBackend('cpu');

type Args = Parameters<typeof tf.layers.conv2d>[0];
const SHAPES: { name: string; args: Omit<Args, 'filters'> }[] = [
  { name: '3×3 stride 2, same', args: { kernelSize: 3, strides: 2, padding: 'same' } },
  { name: '1×1 stride 1, valid', args: { kernelSize: 1, strides: 1, padding: 'valid' } },
  { name: '3×3 dilated 2, same', args: { kernelSize: 3, dilationRate: 2, padding: 'same' } },
];

for (const { name, args } of SHAPES) {
  test(`${name}: the same output and kernel gradient as the stock layer`, () => {
    const config = { ...args, filters: 5, useBias: false, inputShape: [9, 9, 3] } as Args;
    const ours = conv2d(config);
    const stock = tf.layers.conv2d(config);
    const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 1);
    ours.apply(x);
    stock.apply(x);
    stock.setWeights(ours.getWeights());
    assert.deepEqual(Array.from((ours.apply(x) as tf.Tensor).dataSync()), Array.from((stock.apply(x) as tf.Tensor).dataSync()));
    if (args.dilationRate !== undefined) return; // tfjs has no gradient for dilated convolutions
    const g1 = tf.variableGrads(() => tf.sum(tf.square(ours.apply(x) as tf.Tensor)) as tf.Scalar, [ours.trainableWeights[0]!.read() as tf.Variable]);
    const g2 = tf.variableGrads(() => tf.sum(tf.square(stock.apply(x) as tf.Tensor)) as tf.Scalar, [stock.trainableWeights[0]!.read() as tf.Variable]);
    assert.deepEqual(Array.from(Object.values(g1.grads)[0]!.dataSync()), Array.from(Object.values(g2.grads)[0]!.dataSync()));
  });
}

/** Input → conv → conv, trained on a mean: the backward-data convolutions one step runs. */
async function inputGradientConvolutions(make: (a: Args) => tf.layers.Layer): Promise<number> {
  const input = tf.input({ shape: [8, 8, 3] });
  const a = make({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
  const b = make({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(a) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: b });
  const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 2);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const info = await tf.profile(() => {
    const { value, grads } = variableGradsFreeing(() => tf.mean(model.apply(x) as tf.Tensor) as tf.Scalar, variables);
    assert.equal(Object.keys(grads).length, 2);
    tf.dispose([value, ...Object.values(grads)]);
  });
  model.dispose();
  return info.kernels.filter((k) => k.name === 'Conv2DBackpropInput').length;
}

test('a step computes no gradient for the image the first convolution reads; the stock layer does', async () => {
  assert.equal(await inputGradientConvolutions(conv2d), 1, 'only the second convolution passes a gradient back');
  assert.equal(await inputGradientConvolutions((a) => tf.layers.conv2d(a)), 2);
});

test('a saved Conv2D keeps tfjs\'s class name and config, and loads as Calibra\'s layer', async () => {
  const input = tf.input({ shape: [6, 6, 2] });
  const model = tf.model({ inputs: input, outputs: conv2d({ filters: 3, kernelSize: 3, useBias: false, name: 'c' }).apply(input) as tf.SymbolicTensor });
  const json = model.toJSON(undefined, false) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  const saved = json.config.layers.find((l) => l.config.name === 'c')!;
  assert.equal(saved.class_name, 'Conv2D');
  assert.equal(saved.config.use_bias, false);
  const back = await tf.models.modelFromJSON({ modelTopology: model.toJSON(undefined, false) as tf.io.ModelJSON['modelTopology'] });
  assert.ok(back.getLayer('c') instanceof CalibraConv2D);
  model.dispose();
  back.dispose();
});
