// DepthwiseConv2dNative, FusedDepthwiseConv2D and the depthwise gradient kernels on the native
// engine (oneDNN grouped convolution), against the cpu backend. Channel multipliers 1 to 3.
import assert from 'node:assert/strict';
import test from 'node:test';

import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import {
  assertClose,
  convCases,
  nativeAndCpu,
  randomValues,
  setUpNative,
  testConv,
  testConvGrads,
  testFusedConv,
} from './harness.js';

const skip = await setUpNative();

const rng = createRng(4409);

for (const c of convCases(rng, 2, 3, true)) testConv(true, c, rng, skip);
// tf.fused.depthwiseConv2d takes no explicit padding.
convCases(rng, 1, 3, true)
  .filter((c) => typeof c.pad === 'string')
  .forEach((c, i) => testFusedConv(true, c, i, rng, skip));
for (const c of convCases(rng, 2, 3)) testConvGrads(true, c, rng, skip);

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
