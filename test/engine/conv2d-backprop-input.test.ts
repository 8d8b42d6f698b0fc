import test from 'node:test';
import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import {
  assertClose,
  convCases,
  onBothBackends,
  randomValues,
  setUpBackends,
  testConvGradient,
  type ConvCase,
} from './wasm-vs-cpu.js';

await setUpBackends();

const rng = createRng(2102);
const cases: ConvCase[] = [
  ...convCases(rng, 3, 6),
  // Stride 3 and a 4-wide filter give phases with 2 and 1 taps.
  { label: 'x 2x10x11x3, 4x4, out 5, stride 3, same', x: [2, 10, 11, 3], filter: [4, 4, 3, 5], stride: 3, pad: 'same' },
  // A 1x1 filter at stride 2 (ResNet's projection shortcut) leaves odd positions without taps.
  { label: 'x 3x7x6x4, 1x1, out 6, stride 2, valid', x: [3, 7, 6, 4], filter: [1, 1, 4, 6], stride: 2, pad: 'valid' },
  // One row: the second row phase has no input positions at all.
  { label: 'x 2x1x5x2, 1x1, out 3, stride 2, same', x: [2, 1, 5, 2], filter: [1, 1, 2, 3], stride: 2, pad: 'same' },
];
for (const c of cases) testConvGradient({ kernel: 'Conv2DBackpropInput', wrt: 'x', depthwise: false }, c, rng);

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
