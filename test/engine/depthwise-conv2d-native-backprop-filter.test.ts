import test from 'node:test';
import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import {
  assertClose,
  convCases,
  onBothBackends,
  outputShape,
  randomValues,
  setUpBackends,
} from './wasm-vs-cpu.js';

await setUpBackends();

const rng = createRng(2201);
// The first case of each stride and padding has channel multiplier 3.
for (const c of convCases(rng, 3, 3)) {
  const xShape = [c.batch, c.height, c.width, c.inChannels] as const;
  const filterShape = [c.kernel, c.kernel, c.inChannels, c.outChannels] as const;
  const yShape = outputShape(c, true);
  const x = randomValues(rng, [...xShape]);
  const filter = randomValues(rng, [...filterShape]);
  const dy = randomValues(rng, yShape);

  test(`DepthwiseConv2dNativeBackpropFilter on wasm matches cpu: ${c.label}`, async () => {
    const results = await onBothBackends(() => {
      const input = tf.tensor4d(x, [...xShape]);
      const upstream = tf.tensor4d(dy, yShape);
      const gradient = tf.grad((w: tf.Tensor) =>
        tf.sum(tf.mul(tf.depthwiseConv2d(input, w as tf.Tensor4D, c.stride, c.pad), upstream)));
      return [gradient(tf.tensor4d(filter, [...filterShape]))];
    });
    assertClose(results);
  });
}

test('DepthwiseConv2dNativeBackpropFilter on wasm matches cpu with stride 3 and a 2x4 filter', async () => {
  const r = createRng(2202);
  const x = randomValues(r, [3, 10, 9, 2]);
  const dy = randomValues(r, [3, 4, 3, 4]);
  const results = await onBothBackends(() => {
    const upstream = tf.tensor4d(dy, [3, 4, 3, 4]);
    const gradient = tf.grad((w: tf.Tensor) =>
      tf.sum(tf.mul(tf.depthwiseConv2d(tf.tensor4d(x, [3, 10, 9, 2]), w as tf.Tensor4D, 3, 'same'), upstream)));
    return [gradient(tf.tensor4d(randomValues(r, [2, 4, 2, 2]), [2, 4, 2, 2]))];
  });
  assertClose(results);
});
