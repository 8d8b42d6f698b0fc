// DepthwiseConv2dNative, FusedDepthwiseConv2D and the depthwise gradient kernels on the native
// engine (oneDNN grouped convolution), against the cpu backend. Channel multipliers 1 to 3.
import assert from 'node:assert/strict';
import test from 'node:test';

import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import { assertClose, convCases, convOutShape, nativeAndCpu, randomValues, setUpNative, type ConvCase } from './harness.js';

const skip = await setUpNative();

function shapes(c: ConvCase): { x: [number, number, number, number]; filter: [number, number, number, number] } {
  return {
    x: [c.batch, c.height, c.width, c.inChannels],
    filter: [c.kernel[0], c.kernel[1], c.inChannels, c.outChannels],
  };
}

const rng = createRng(4409);

for (const c of convCases(rng, 2, 3, true)) {
  const s = shapes(c);
  const x = randomValues(rng, s.x);
  const filter = randomValues(rng, s.filter);
  test(`DepthwiseConv2dNative: ${c.label}`, { skip }, async () => {
    const r = await nativeAndCpu(
      () => [tf.depthwiseConv2d(tf.tensor4d(x, s.x), tf.tensor4d(filter, s.filter), c.stride, c.pad, 'NHWC', c.dilation)],
      ['DepthwiseConv2dNative'],
    );
    assertClose(r);
  });
}

const activations = ['linear', 'relu', 'relu6', 'leakyrelu', 'elu', 'sigmoid'] as const;
// tf.fused.depthwiseConv2d takes no explicit padding.
const fusable = convCases(rng, 1, 3, true).filter((c): c is ConvCase & { pad: 'same' | 'valid' } => typeof c.pad === 'string');
fusable.forEach((c, i) => {
  const activation = activations[i % activations.length]!;
  const withBias = i % 4 !== 3;
  const s = shapes(c);
  const x = randomValues(rng, s.x);
  const filter = randomValues(rng, s.filter);
  const bias = randomValues(rng, [c.inChannels * c.outChannels]);
  test(`FusedDepthwiseConv2D, ${activation}${withBias ? ' + bias' : ''}: ${c.label}`, { skip }, async () => {
    const r = await nativeAndCpu(
      () => [
        tf.fused.depthwiseConv2d({
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
      ['FusedDepthwiseConv2D'],
    );
    assertClose(r);
  });
});

for (const c of convCases(rng, 2, 3)) {
  const s = shapes(c);
  const x = randomValues(rng, s.x);
  const filter = randomValues(rng, s.filter);
  const yShape = convOutShape(c, true);
  const upstream = randomValues(rng, yShape);
  test(`DepthwiseConv2dNativeBackpropInput and -Filter via tf.grads: ${c.label}`, { skip }, async () => {
    const r = await nativeAndCpu(() => {
      const dy = tf.tensor4d(upstream, yShape);
      const f = (xs: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor =>
        tf.sum(tf.mul(tf.depthwiseConv2d(xs, w, c.stride, c.pad), dy));
      return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([tf.tensor4d(x, s.x), tf.tensor4d(filter, s.filter)]);
    }, ['DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter']);
    assertClose(r, 1e-4, ['dx', 'dfilter']);
  });
}

test('MobileNet-like depthwise block (16 channels, stride 2, relu6, bias) and its gradients', { skip }, async () => {
  const xShape: [number, number, number, number] = [2, 15, 12, 16];
  const filterShape: [number, number, number, number] = [3, 3, 16, 1];
  const x = randomValues(rng, xShape);
  const filter = randomValues(rng, filterShape);
  const bias = randomValues(rng, [16]);
  const r = await nativeAndCpu(() => {
    const f = (xs: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D): tf.Tensor =>
      tf.sum(tf.square(tf.fused.depthwiseConv2d({ x: xs, filter: w, bias: b, strides: 2, pad: 'same', activation: 'relu6' })));
    return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([
      tf.tensor4d(x, xShape),
      tf.tensor4d(filter, filterShape),
      tf.tensor1d(bias),
    ]);
  }, ['FusedDepthwiseConv2D', 'DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter']);
  assertClose(r, 1e-4, ['dx', 'dfilter', 'dbias']);
});

// tf.grads refuses dilation in depthwise gradients, and the cpu backend's backprop kernels
// ignore it, so dilation is checked by adjointness against the (cpu-checked) native forward:
// <conv(x, w), dy> = <x, dx> = <w, dw>.
test('the depthwise backprop kernels are the adjoints of a dilated depthwise convolution', { skip }, async () => {
  await tf.setBackend('wasm');
  const xShape: [number, number, number, number] = [2, 9, 8, 3];
  const filterShape: [number, number, number, number] = [3, 2, 3, 2];
  const attrs = { strides: 1, dilations: 2, pad: 'same' as const };
  const x = tf.tensor4d(randomValues(rng, xShape), xShape);
  const w = tf.tensor4d(randomValues(rng, filterShape), filterShape);
  const [forward, viaInput, viaFilter] = tf.tidy(() => {
    const y = tf.depthwiseConv2d(x, w, 1, 'same', 'NHWC', 2);
    const dy = tf.tensor4d(randomValues(rng, y.shape), y.shape);
    const run = (name: string, inputs: Record<string, tf.Tensor>, extra: object): tf.Tensor =>
      tf.engine().runKernel(name, inputs, { ...attrs, ...extra } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const dx = run('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { inputShape: xShape });
    const dw = run('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { filterShape });
    return [tf.sum(tf.mul(y, dy)), tf.sum(tf.mul(x, dx)), tf.sum(tf.mul(w, dw))].map((t) => t.dataSync()[0]!);
  });
  tf.dispose([x, w]);
  assert.ok(Math.abs(viaInput! - forward!) <= 1e-4 * Math.abs(forward!), `dx: ${viaInput} against ${forward}`);
  assert.ok(Math.abs(viaFilter! - forward!) <= 1e-4 * Math.abs(forward!), `dw: ${viaFilter} against ${forward}`);
});
