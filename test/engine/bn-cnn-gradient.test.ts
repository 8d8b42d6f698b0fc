import test from 'node:test';
import { tf } from '../../src/engine/tf.js';
import { CalibraBatchNorm } from '../../src/bn/batch-norm-layer.js';
import { createRng } from '../../src/util/rng.js';
import { assertClose, modelGradientsOnBothBackends, setUpBackends } from './wasm-vs-cpu.js';

await setUpBackends();

/** Four conv + BatchNorm + ReLU stages, as in scripts/bench-wasm-kernels.ts, at a test's size. */
function bnCnn(batchNorm: () => tf.layers.Layer): () => tf.LayersModel {
  return () => {
    const input = tf.input({ shape: [13, 11, 3] });
    let h: tf.SymbolicTensor = input;
    [
      { filters: 6, strides: 1 },
      { filters: 8, strides: 2 },
      { filters: 8, strides: 1 },
      { filters: 12, strides: 2 },
    ].forEach(({ filters, strides }) => {
      h = tf.layers
        .conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false })
        .apply(h) as tf.SymbolicTensor;
      h = batchNorm().apply(h) as tf.SymbolicTensor;
      h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
    });
    h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
    const logits = tf.layers.dense({ units: 5 }).apply(h) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: logits });
  };
}

test('a CNN with tf.layers BatchNorm has the same loss and full gradient on wasm as on cpu', async () => {
  const build = bnCnn(() => tf.layers.batchNormalization());
  const { names, ...results } = await modelGradientsOnBothBackends(build, createRng(2501), 6);
  assertClose(results, 1e-4, names);
});

// On wasm Calibra's BatchNorm runs the CalibraBatchNormTrain kernels; on cpu, tfjs ops.
test("a CNN with Calibra's BatchNorm has the same loss and full gradient on wasm as on cpu", async () => {
  const build = bnCnn(() => new CalibraBatchNorm({ momentum: 0.99, epsilon: 1e-3 }));
  const { names, ...results } = await modelGradientsOnBothBackends(build, createRng(2502), 6);
  assertClose(results, 1e-4, names);
});
