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

const rng = createRng(2101);
const cases = convCases(rng, 3, 6);
// At stride 1 the kernel makes the smaller of x and dy XNNPACK's filter: cover both choices.
cases.push(
  {
    label: 'x 3x9x6x2, 3x3, out 7, stride 1, same (x is the smaller)',
    batch: 3, height: 9, width: 6, inChannels: 2, outChannels: 7, kernel: 3, stride: 1, pad: 'same',
  },
  {
    label: 'x 2x7x10x6, 2x2, out 2, stride 1, same (dy is the smaller)',
    batch: 2, height: 7, width: 10, inChannels: 6, outChannels: 2, kernel: 2, stride: 1, pad: 'same',
  },
  {
    label: 'x 2x8x5x1, 3x3, out 4, stride 1, valid (x is the smaller)',
    batch: 2, height: 8, width: 5, inChannels: 1, outChannels: 4, kernel: 3, stride: 1, pad: 'valid',
  },
);
for (const c of cases) {
  const xShape = [c.batch, c.height, c.width, c.inChannels] as const;
  const filterShape = [c.kernel, c.kernel, c.inChannels, c.outChannels] as const;
  const yShape = outputShape(c, false);
  const x = randomValues(rng, [...xShape]);
  const filter = randomValues(rng, [...filterShape]);
  const dy = randomValues(rng, yShape);

  test(`Conv2DBackpropFilter on wasm matches cpu: ${c.label}`, async () => {
    const results = await onBothBackends(() => {
      const input = tf.tensor4d(x, [...xShape]);
      const upstream = tf.tensor4d(dy, yShape);
      const gradient = tf.grad((w: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(input, w as tf.Tensor4D, c.stride, c.pad), upstream)));
      return [gradient(tf.tensor4d(filter, [...filterShape]))];
    });
    assertClose(results);
  });
}
