// Shared by the native kernel tests: the same computation on wasm with the native kernels and
// on the reference cpu backend, from the same seeded values. Tests skip, saying why, only when
// the addon is not built.
import '@tensorflow/tfjs-backend-wasm';
import assert from 'node:assert/strict';
import test from 'node:test';

import { tf } from '../../src/engine/tf.js';
import { registerWasmTrainingKernels } from '../../src/engine/kernels/register-all.js';
import { fallbackCount } from '../../src/engine/native/native-kernel.js';
import { registerNativeKernels } from '../../src/engine/native/register-all.js';
import type { Rng } from '../../src/util/rng.js';

/** false when the native kernels are in place, else the reason to skip. */
export async function setUpNative(): Promise<string | false> {
  // The project's pure-tfjs kernels first: they become the native kernels' fallbacks.
  registerWasmTrainingKernels();
  const registration = registerNativeKernels();
  assert.ok(await tf.setBackend('cpu'));
  assert.ok(await tf.setBackend('wasm'));
  return registration.loaded ? false : `native kernels unavailable: ${registration.reason}`;
}

export function randomValues(rng: Rng, shape: readonly number[], scale = 1, shift = 0): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: size }, () => shift + scale * rng.normal());
}

export interface BackendResults {
  native: Float32Array[];
  cpu: Float32Array[];
  nativeShapes: number[][];
  cpuShapes: number[][];
}

function run(compute: () => tf.Tensor[]): { values: Float32Array[]; shapes: number[][] } {
  const outputs = tf.tidy(compute);
  const values = outputs.map((t) => t.dataSync() as Float32Array);
  const shapes = outputs.map((t) => t.shape);
  tf.dispose(outputs);
  return { values, shapes };
}

/**
 * Runs `compute` on wasm (native kernels), then on cpu. On wasm it must leave no tensor and no
 * heap buffer behind, and the kernels named in `natively` must not have fallen back to the
 * stock wasm ones.
 */
export async function nativeAndCpu(compute: () => tf.Tensor[], natively: readonly string[] = []): Promise<BackendResults> {
  await tf.setBackend('wasm');
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.backend().numDataIds();
  const fallbacksBefore = natively.map(fallbackCount);
  const native = run(compute);
  assert.equal(tf.memory().numTensors, tensorsBefore, 'tensors leaked on wasm');
  assert.equal(tf.backend().numDataIds(), buffersBefore, 'wasm buffers leaked');
  natively.forEach((name, i) => assert.equal(fallbackCount(name), fallbacksBefore[i], `${name} fell back to the stock kernel`));
  await tf.setBackend('cpu');
  const cpu = run(compute);
  await tf.setBackend('wasm');
  return { native: native.values, cpu: cpu.values, nativeShapes: native.shapes, cpuShapes: cpu.shapes };
}

/** Per output: same shape, and the largest deviation within `tolerance` of the largest reference magnitude. */
export function assertClose(r: BackendResults, tolerance = 1e-4, names: readonly string[] = []): void {
  assert.equal(r.native.length, r.cpu.length);
  r.native.forEach((actual, i) => {
    const expected = r.cpu[i]!;
    const name = names[i] ?? `output ${i}`;
    assert.deepEqual(r.nativeShapes[i], r.cpuShapes[i], `${name}: shapes differ`);
    let scale = 0;
    let deviation = 0;
    for (let j = 0; j < expected.length; j++) {
      scale = Math.max(scale, Math.abs(expected[j]!));
      deviation = Math.max(deviation, Math.abs(actual[j]! - expected[j]!));
    }
    assert.ok(
      deviation <= tolerance * Math.max(scale, 1e-6),
      `${name}: max deviation ${deviation.toExponential(2)} against scale ${scale.toExponential(2)}`,
    );
  });
}

export type Padding = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

export interface ConvCase {
  label: string;
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  /** Output channels of a convolution, or the channel multiplier of a depthwise one. */
  outChannels: number;
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  pad: Padding;
}

export function convLabel(c: Omit<ConvCase, 'label'>): string {
  const pad = typeof c.pad === 'string' ? c.pad : `explicit ${c.pad[1]}/${c.pad[2]}`;
  return (
    `x ${c.batch}×${c.height}×${c.width}×${c.inChannels}, k ${c.kernel.join('×')}, ` +
    `out ${c.outChannels}, stride ${c.stride.join('×')}, dilation ${c.dilation.join('×')}, ${pad}`
  );
}

/**
 * Random NHWC convolution shapes, `perCombination` for each stride (1, 2, and 2×1) and
 * padding (same, valid, explicit): odd and even, non-square inputs and kernels, batch 1 to 3.
 * The first of each combination has batch 2, a wide input and the most output channels, so
 * those are always covered. With `dilated`, stride-1 cases get dilation 2 (tfjs allows dilation
 * only with stride 1, and not in gradients).
 */
export function convCases(rng: Rng, perCombination: number, maxOutChannels: number, dilated = false): ConvCase[] {
  const cases: ConvCase[] = [];
  const strides: [number, number][] = [[1, 1], [2, 2], [2, 1]];
  for (const stride of strides) {
    for (const padKind of ['same', 'valid', 'explicit'] as const) {
      for (let i = 0; i < perCombination; i++) {
        const kh = [1, 2, 3, 3, 5][rng.int(5)]!;
        const kw = i === 1 ? [1, 3][rng.int(2)]! : kh;
        const dilation: [number, number] = dilated && stride[0] === 1 && stride[1] === 1 && i > 0 ? [2, 2] : [1, 1];
        const effH = (kh - 1) * dilation[0] + 1;
        const effW = (kw - 1) * dilation[1] + 1;
        const height = effH + rng.int(8);
        const width = i === 0 ? height + 1 + rng.int(3) : effW + rng.int(8);
        const pad: Padding =
          padKind === 'explicit' ? [[0, 0], [rng.int(kh), rng.int(kh)], [rng.int(kw), rng.int(kw)], [0, 0]] : padKind;
        const c = {
          batch: i === 0 ? 2 : 1 + rng.int(3),
          height,
          width,
          inChannels: 1 + rng.int(5),
          outChannels: i === 0 ? maxOutChannels : 1 + rng.int(maxOutChannels),
          kernel: [kh, kw] as [number, number],
          stride,
          dilation,
          pad,
        };
        cases.push({ ...c, label: convLabel(c) });
      }
    }
  }
  return cases;
}

/** NHWC output shape of a case, as tfjs computes it. */
export function convOutShape(c: ConvCase, depthwise: boolean): [number, number, number, number] {
  const filter: [number, number, number, number] = [c.kernel[0], c.kernel[1], c.inChannels, c.outChannels];
  const x: [number, number, number, number] = [c.batch, c.height, c.width, c.inChannels];
  return tf.backend_util.computeConv2DInfo(x, filter, c.stride, c.dilation, c.pad, undefined, depthwise).outShape;
}

type Shape4D = [number, number, number, number];

/** The NHWC input and [h, w, in, out or multiplier] filter shapes of a case. */
export function convShapes(c: ConvCase): { x: Shape4D; filter: Shape4D } {
  return {
    x: [c.batch, c.height, c.width, c.inChannels],
    filter: [c.kernel[0], c.kernel[1], c.inChannels, c.outChannels],
  };
}

/**
 * A test that tf.conv2d (tf.depthwiseConv2d when `depthwise`) runs natively and matches cpu.
 * Values are drawn from `rng` when the test is declared: x, filter.
 */
export function testConv(depthwise: boolean, c: ConvCase, rng: Rng, skip: string | false): void {
  const kernel = depthwise ? 'DepthwiseConv2dNative' : 'Conv2D';
  const conv = depthwise ? tf.depthwiseConv2d : tf.conv2d;
  const s = convShapes(c);
  const x = randomValues(rng, s.x);
  const filter = randomValues(rng, s.filter);
  test(`${kernel}: ${c.label}`, { skip }, async () => {
    const r = await nativeAndCpu(
      () => [conv(tf.tensor4d(x, s.x), tf.tensor4d(filter, s.filter), c.stride, c.pad, 'NHWC', c.dilation)],
      [kernel],
    );
    assertClose(r);
  });
}

const FUSED_ACTIVATIONS = ['linear', 'relu', 'relu6', 'leakyrelu', 'elu', 'sigmoid'] as const;

/**
 * A test that tf.fused.conv2d (tf.fused.depthwiseConv2d when `depthwise`) runs natively and
 * matches cpu. The i-th case of a list takes the i-th activation in turn, and every fourth
 * has no bias. Values are drawn from `rng` when the test is declared: x, filter, bias.
 */
export function testFusedConv(depthwise: boolean, c: ConvCase, i: number, rng: Rng, skip: string | false): void {
  const kernel = depthwise ? 'FusedDepthwiseConv2D' : 'FusedConv2D';
  const activation = FUSED_ACTIVATIONS[i % FUSED_ACTIVATIONS.length]!;
  const withBias = i % 4 !== 3;
  const s = convShapes(c);
  const x = randomValues(rng, s.x);
  const filter = randomValues(rng, s.filter);
  const bias = randomValues(rng, [depthwise ? c.inChannels * c.outChannels : c.outChannels]);
  test(`${kernel}, ${activation}${withBias ? ' + bias' : ''}: ${c.label}`, { skip }, async () => {
    const r = await nativeAndCpu(() => {
      const args = {
        x: tf.tensor4d(x, s.x),
        filter: tf.tensor4d(filter, s.filter),
        strides: c.stride,
        dilations: c.dilation,
        bias: withBias ? tf.tensor1d(bias) : undefined,
        activation,
        leakyreluAlpha: 0.15,
      };
      // tf.fused.depthwiseConv2d takes no explicit padding; its cases have none.
      return [
        depthwise ? tf.fused.depthwiseConv2d({ ...args, pad: c.pad as 'same' | 'valid' }) : tf.fused.conv2d({ ...args, pad: c.pad }),
      ];
    }, [kernel]);
    assertClose(r);
  });
}

/**
 * A test that tf.grads of Σ conv(x, filter)·dy (tf.depthwiseConv2d when `depthwise`, else
 * tf.conv2d) runs both backprop kernels natively and matches cpu. Values are drawn from `rng`
 * when the test is declared: x, filter, dy.
 */
export function testConvGrads(depthwise: boolean, c: ConvCase, rng: Rng, skip: string | false): void {
  const kernels = depthwise
    ? ['DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter']
    : ['Conv2DBackpropInput', 'Conv2DBackpropFilter'];
  const conv = depthwise ? tf.depthwiseConv2d : tf.conv2d;
  const s = convShapes(c);
  const x = randomValues(rng, s.x);
  const filter = randomValues(rng, s.filter);
  const yShape = convOutShape(c, depthwise);
  const upstream = randomValues(rng, yShape);
  test(`${kernels.join(' and ')} via tf.grads: ${c.label}`, { skip }, async () => {
    const r = await nativeAndCpu(() => {
      const dy = tf.tensor4d(upstream, yShape);
      const f = (xs: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor => tf.sum(tf.mul(conv(xs, w, c.stride, c.pad), dy));
      return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([tf.tensor4d(x, s.x), tf.tensor4d(filter, s.filter)]);
    }, kernels);
    assertClose(r, 1e-4, ['dx', 'dfilter']);
  });
}
