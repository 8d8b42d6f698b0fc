// Conv2D, FusedConv2D, Conv2DBackpropInput and Conv2DBackpropFilter on the native engine,
// against the cpu backend.
import assert from 'node:assert/strict';
import test from 'node:test';

import { tf } from '../../src/engine/tf.js';
import { fallbackCount } from '../../src/engine/native/native-kernel.js';
import { createRng } from '../../src/util/rng.js';
import { assertClose, convCases, convOutShape, nativeAndCpu, randomValues, setUpNative, type ConvCase } from './harness.js';

const skip = await setUpNative();

function shapes(c: ConvCase): { x: [number, number, number, number]; filter: [number, number, number, number] } {
  return {
    x: [c.batch, c.height, c.width, c.inChannels],
    filter: [c.kernel[0], c.kernel[1], c.inChannels, c.outChannels],
  };
}

const rng = createRng(7301);

for (const c of convCases(rng, 2, 6, true)) {
  const s = shapes(c);
  const x = randomValues(rng, s.x);
  const filter = randomValues(rng, s.filter);
  test(`Conv2D: ${c.label}`, { skip }, async () => {
    const r = await nativeAndCpu(
      () => [tf.conv2d(tf.tensor4d(x, s.x), tf.tensor4d(filter, s.filter), c.stride, c.pad, 'NHWC', c.dilation)],
      ['Conv2D'],
    );
    assertClose(r);
  });
}

const activations = ['linear', 'relu', 'relu6', 'leakyrelu', 'elu', 'sigmoid'] as const;
convCases(rng, 1, 5, true).forEach((c, i) => {
  const activation = activations[i % activations.length]!;
  const withBias = i % 4 !== 3;
  const s = shapes(c);
  const x = randomValues(rng, s.x);
  const filter = randomValues(rng, s.filter);
  const bias = randomValues(rng, [c.outChannels]);
  test(`FusedConv2D, ${activation}${withBias ? ' + bias' : ''}: ${c.label}`, { skip }, async () => {
    const r = await nativeAndCpu(
      () => [
        tf.fused.conv2d({
          x: tf.tensor4d(x, s.x),
          filter: tf.tensor4d(filter, s.filter),
          strides: c.stride,
          pad: c.pad,
          dilations: c.dilation,
          bias: withBias ? tf.tensor1d(bias) : undefined,
          activation,
          leakyreluAlpha: 0.15,
        }),
      ],
      ['FusedConv2D'],
    );
    assertClose(r);
  });
});

for (const c of convCases(rng, 2, 6)) {
  const s = shapes(c);
  const x = randomValues(rng, s.x);
  const filter = randomValues(rng, s.filter);
  const yShape = convOutShape(c, false);
  const upstream = randomValues(rng, yShape);
  test(`Conv2DBackpropInput and Conv2DBackpropFilter via tf.grads: ${c.label}`, { skip }, async () => {
    const r = await nativeAndCpu(() => {
      const dy = tf.tensor4d(upstream, yShape);
      const f = (xs: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor => tf.sum(tf.mul(tf.conv2d(xs, w, c.stride, c.pad), dy));
      return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([tf.tensor4d(x, s.x), tf.tensor4d(filter, s.filter)]);
    }, ['Conv2DBackpropInput', 'Conv2DBackpropFilter']);
    assertClose(r, 1e-4, ['dx', 'dfilter']);
  });
}

test('FusedConv2D gradient (bias + relu) flows through the native backprop kernels', { skip }, async () => {
  const c = convCases(createRng(11), 1, 4)[1]!;
  const s = shapes(c);
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
