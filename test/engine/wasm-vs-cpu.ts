// Shared by the wasm kernel tests: the same computation on wasm (with Calibra's training
// kernels) and on the reference cpu backend, from the same seeded values.
import '@tensorflow/tfjs-backend-wasm';
import assert from 'node:assert/strict';
import test from 'node:test';
import { tf } from '../../src/engine/tf.js';
import { registerWasmTrainingKernels } from '../../src/engine/kernels/register-all.js';
import type { Rng } from '../../src/util/rng.js';

export async function setUpBackends(): Promise<void> {
  registerWasmTrainingKernels();
  assert.ok(await tf.setBackend('cpu'));
  assert.ok(await tf.setBackend('wasm'));
}

export function randomValues(rng: Rng, shape: number[]): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: size }, () => rng.normal());
}

export interface BackendResults {
  wasm: Float32Array[];
  cpu: Float32Array[];
}

/**
 * Values of `compute`'s outputs on the current backend. On wasm it must leave no tensor and no
 * backend buffer behind: kernel intermediates are invisible to tf.memory(), so the backend's
 * own count of data ids is checked as well.
 */
function valuesChecked(compute: () => tf.Tensor[]): Float32Array[] {
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.backend().numDataIds();
  const outputs = tf.tidy(compute);
  const data = outputs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outputs);
  assert.equal(tf.memory().numTensors, tensorsBefore, `tensors leaked on ${tf.getBackend()}`);
  assert.equal(tf.backend().numDataIds(), buffersBefore, `buffers leaked on ${tf.getBackend()}`);
  return data;
}

/** Runs `compute` on wasm, then `reference` (the same by default) on cpu; returns the values. */
export async function onBothBackends(
  compute: () => tf.Tensor[],
  reference: () => tf.Tensor[] = compute,
): Promise<BackendResults> {
  await tf.setBackend('wasm');
  const wasm = valuesChecked(compute);
  await tf.setBackend('cpu');
  const cpu = valuesChecked(reference);
  await tf.setBackend('wasm');
  return { wasm, cpu };
}

export interface ModelGradients extends BackendResults {
  /** Trainable weights in order; the last output is the loss. */
  names: string[];
}

/**
 * The softmax cross-entropy loss and its gradient for every trainable weight, with BatchNorm
 * in training mode, for one model built on each backend from the same weights.
 */
export async function modelGradientsOnBothBackends(
  build: () => tf.LayersModel,
  rng: Rng,
  batch: number,
): Promise<ModelGradients> {
  await tf.setBackend('wasm');
  const reference = build();
  const weights = reference.getWeights().map((w) => ({ shape: w.shape, values: w.dataSync().slice() }));
  const inputShape = [batch, ...(reference.inputs[0]!.shape.slice(1) as number[])];
  const classes = reference.outputs[0]!.shape[1]!;
  reference.dispose();
  const x = randomValues(rng, inputShape);
  const labels = Array.from({ length: batch }, () => rng.int(classes));

  const names: string[] = [];
  const gradients = (): Float32Array[] => {
    const model = build();
    const initial = weights.map((w) => tf.tensor(w.values, w.shape));
    model.setWeights(initial);
    tf.dispose(initial);
    names.splice(0, names.length, ...model.trainableWeights.map((w) => w.originalName));
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const data = valuesChecked(() => {
      const { value, grads } = tf.variableGrads(() => {
        const logits = model.apply(tf.tensor(x, inputShape), { training: true }) as tf.Tensor;
        return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), logits) as tf.Scalar;
      }, variables);
      return [...variables.map((v) => grads[v.name]!), value];
    });
    model.dispose();
    return data;
  };
  const wasm = gradients();
  await tf.setBackend('cpu');
  const cpu = gradients();
  await tf.setBackend('wasm');
  return { wasm, cpu, names: [...names, 'loss'] };
}

/**
 * Largest deviation relative to the largest reference magnitude, per output. `floor` is an
 * absolute allowance for outputs whose exact value is zero, where float noise has no scale.
 */
export function assertClose(
  { wasm, cpu }: BackendResults,
  tolerance = 1e-4,
  names: readonly string[] = [],
  floor = 0,
): void {
  assert.equal(wasm.length, cpu.length);
  wasm.forEach((actual, i) => {
    const expected = cpu[i]!;
    const name = names[i] ?? `output ${i}`;
    assert.equal(actual.length, expected.length, `${name}: sizes differ`);
    let scale = 0;
    let deviation = 0;
    for (let j = 0; j < expected.length; j++) {
      scale = Math.max(scale, Math.abs(expected[j]!));
      deviation = Math.max(deviation, Math.abs(actual[j]! - expected[j]!));
    }
    assert.ok(
      deviation <= Math.max(tolerance * scale, floor, 1e-12),
      `${name}: max deviation ${deviation.toExponential(2)} against scale ${scale.toExponential(2)}`,
    );
  });
}

export type Padding = 'same' | 'valid';

type Shape4D = [number, number, number, number];

/** A convolution by its shapes: tf.conv2d's, or tf.depthwiseConv2d's with a channel multiplier. */
export interface ConvCase {
  label: string;
  /** NHWC input. */
  x: Shape4D;
  /** [height, width, input channels, output channels or channel multiplier]. */
  filter: Shape4D;
  stride: number;
  pad: Padding;
}

function outSize(size: number, kernel: number, stride: number, pad: Padding): number {
  return pad === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

/**
 * Random convolution shapes, `perCombination` for each stride (1, 2) and padding (same,
 * valid): odd and even, non-square, batch 1 to 3, kernels 1 to 5; the first of each
 * combination has batch 2 and a rectangular input, so those are always covered.
 */
export function convCases(rng: Rng, perCombination: number, maxOutChannels: number): ConvCase[] {
  const cases: ConvCase[] = [];
  for (const stride of [1, 2]) {
    for (const pad of ['same', 'valid'] as const) {
      for (let i = 0; i < perCombination; i++) {
        const kernel = [1, 2, 3, 3, 5][rng.int(5)]!;
        const height = kernel + rng.int(9);
        const width = i === 0 ? height + 1 + rng.int(3) : kernel + rng.int(9);
        const batch = i === 0 ? 2 : 1 + rng.int(3);
        const inChannels = 1 + rng.int(5);
        const outChannels = i === 0 ? maxOutChannels : 1 + rng.int(maxOutChannels);
        assert.ok(outSize(height, kernel, stride, pad) > 0 && outSize(width, kernel, stride, pad) > 0);
        cases.push({
          label:
            `x ${batch}x${height}x${width}x${inChannels}, ${kernel}x${kernel}, out ${outChannels}, ` +
            `stride ${stride}, ${pad}`,
          x: [batch, height, width, inChannels],
          filter: [kernel, kernel, inChannels, outChannels],
          stride,
          pad,
        });
      }
    }
  }
  return cases;
}

export interface ConvGradient {
  /** The kernel that computes it on wasm, for the test's name. */
  kernel: string;
  /** The gradient of Σ conv(x, filter)·dy with respect to x or to the filter. */
  wrt: 'x' | 'filter';
  /** tf.depthwiseConv2d rather than tf.conv2d. */
  depthwise: boolean;
}

/**
 * A test that `gradient` for convolution `c` gives the same values on wasm as on cpu. The
 * values are drawn from `rng` when the test is declared: x, then the filter, then dy.
 */
export function testConvGradient(gradient: ConvGradient, c: ConvCase, rng: Rng): void {
  const conv = gradient.depthwise ? tf.depthwiseConv2d : tf.conv2d;
  const yShape = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad, undefined, gradient.depthwise).outShape;
  const x = randomValues(rng, c.x);
  const filter = randomValues(rng, c.filter);
  const dy = randomValues(rng, yShape);
  test(`${gradient.kernel} on wasm matches cpu: ${c.label}`, async () => {
    const results = await onBothBackends(() => {
      const input = tf.tensor4d(x, c.x);
      const weights = tf.tensor4d(filter, c.filter);
      const upstream = tf.tensor4d(dy, yShape);
      const loss = (i: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor => tf.sum(tf.mul(conv(i, w, c.stride, c.pad), upstream));
      return gradient.wrt === 'x'
        ? [tf.grad((t: tf.Tensor) => loss(t as tf.Tensor4D, weights))(input)]
        : [tf.grad((t: tf.Tensor) => loss(input, t as tf.Tensor4D))(weights)];
    });
    assertClose(results);
  });
}
