// Conv2D, FusedConv2D, Conv2DBackpropInput and Conv2DBackpropFilter on the native engine,
// against the cpu backend.
import assert from 'node:assert/strict';
import test from 'node:test';

import { tf } from '../../src/engine/tf.js';
import { fallbackCount } from '../../src/engine/native/native-kernel.js';
import { createRng } from '../../src/util/rng.js';
import {
  assertClose,
  convCases,
  convShapes,
  nativeAndCpu,
  randomValues,
  setUpNative,
  testConv,
  testConvGrads,
  testFusedConv,
} from './harness.js';

const skip = await setUpNative();

const rng = createRng(7301);

for (const c of convCases(rng, 2, 6, true)) testConv(false, c, rng, skip);
convCases(rng, 1, 5, true).forEach((c, i) => testFusedConv(false, c, i, rng, skip));
for (const c of convCases(rng, 2, 6)) testConvGrads(false, c, rng, skip);

test('FusedConv2D gradient (bias + relu) flows through the native backprop kernels', { skip }, async () => {
  const c = convCases(createRng(11), 1, 4)[1]!;
  const s = convShapes(c);
  const x = randomValues(rng, s.x);
  const filter = randomValues(rng, s.filter);
  const bias = randomValues(rng, [c.outChannels]);
  const r = await nativeAndCpu(() => {
    const f = (xs: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D): tf.Tensor =>
      tf.sum(tf.square(tf.fused.conv2d({ x: xs, filter: w, bias: b, strides: c.stride, pad: c.pad, activation: 'relu' })));
    return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([
      tf.tensor4d(x, s.x),
      tf.tensor4d(filter, s.filter),
      tf.tensor1d(bias),
    ]);
  }, ['FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']);
  assertClose(r, 1e-4, ['dx', 'dfilter', 'dbias']);
});

test('FusedConv2D with prelu falls back to the stock wasm kernel', { skip }, async () => {
  const s = { x: [2, 6, 5, 3] as [number, number, number, number], filter: [3, 3, 3, 4] as [number, number, number, number] };
  const x = randomValues(rng, s.x);
  const filter = randomValues(rng, s.filter);
  const alpha = randomValues(rng, [4], 0.1, 0.2);
  const before = fallbackCount('FusedConv2D');
  const r = await nativeAndCpu(() => [
    tf.fused.conv2d({
      x: tf.tensor4d(x, s.x),
      filter: tf.tensor4d(filter, s.filter),
      strides: 1,
      pad: 'same',
      activation: 'prelu',
      preluActivationWeights: tf.tensor1d(alpha),
    }),
  ]);
  assertClose(r);
  assert.equal(fallbackCount('FusedConv2D'), before + 1);
});

test('a filter cached for inference is not mistaken for a new filter at the same address', { skip }, async () => {
  const s = { x: [1, 8, 8, 16] as [number, number, number, number], filter: [3, 3, 16, 32] as [number, number, number, number] };
  const x = randomValues(rng, s.x);
  const filters = [randomValues(rng, s.filter), randomValues(rng, s.filter), randomValues(rng, s.filter)];
  const r = await nativeAndCpu(() => {
    const input = tf.tensor4d(x, s.x);
    return filters.map((values) => {
      const w = tf.tensor4d(values, s.filter);
      const y = tf.conv2d(input, w, 1, 'same');
      const again = tf.conv2d(input, w, 1, 'same');
      w.dispose();
      return tf.sub(y, tf.mul(again, 2));
    });
  }, ['Conv2D']);
  assertClose(r);
});
