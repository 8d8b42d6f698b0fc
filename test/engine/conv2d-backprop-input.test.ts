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

const rng = createRng(2102);
const cases = convCases(rng, 3, 6);
cases.push(
  // Stride 3 and a 4-wide filter give phases with 2 and 1 taps.
  {
    label: 'x 2x10x11x3, 4x4, out 5, stride 3, same',
    batch: 2, height: 10, width: 11, inChannels: 3, outChannels: 5, kernel: 4, stride: 3, pad: 'same',
  },
  // A 1x1 filter at stride 2 (ResNet's projection shortcut) leaves odd positions without taps.
  {
    label: 'x 3x7x6x4, 1x1, out 6, stride 2, valid',
    batch: 3, height: 7, width: 6, inChannels: 4, outChannels: 6, kernel: 1, stride: 2, pad: 'valid',
  },
  // One row: the second row phase has no input positions at all.
  {
    label: 'x 2x1x5x2, 1x1, out 3, stride 2, same',
    batch: 2, height: 1, width: 5, inChannels: 2, outChannels: 3, kernel: 1, stride: 2, pad: 'same',
  },
);
for (const c of cases) {
  const xShape = [c.batch, c.height, c.width, c.inChannels] as const;
  const filterShape = [c.kernel, c.kernel, c.inChannels, c.outChannels] as const;
  const yShape = outputShape(c, false);
  const x = randomValues(rng, [...xShape]);
  const filter = randomValues(rng, [...filterShape]);
  const dy = randomValues(rng, yShape);

  test(`Conv2DBackpropInput on wasm matches cpu: ${c.label}`, async () => {
    const results = await onBothBackends(() => {
      const weights = tf.tensor4d(filter, [...filterShape]);
      const upstream = tf.tensor4d(dy, yShape);
      const gradient = tf.grad((input: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(input as tf.Tensor4D, weights, c.stride, c.pad), upstream)));
      return [gradient(tf.tensor4d(x, [...xShape]))];
    });
    assertClose(results);
  });
}

test('Conv2DBackpropInput on wasm matches cpu with explicit padding wider than the filter', async () => {
  const r = createRng(2103);
  const dy = randomValues(r, [2, 5, 4, 3]);
  const filter = randomValues(r, [2, 3, 2, 3]);
  const pad: [[number, number], [number, number], [number, number], [number, number]] =
    [[0, 0], [3, 1], [0, 4], [0, 0]];
  const results = await onBothBackends(() => [
    tf.conv2dTranspose(tf.tensor4d(dy, [2, 5, 4, 3]), tf.tensor4d(filter, [2, 3, 2, 3]),
      [2, 7, 5, 2], [2, 2], pad),
  ]);
  assertClose(results);
});
