// BatchNorm fused with the ReLU or ReLU6 after it (src/bn/batch-norm-train-op.ts and
// batch-norm-given-op.ts with an activation): on the native engine, the forward and the
// gradients of x, gamma and beta match BatchNorm and the activation composed of tfjs ops on the
// cpu backend, and so does the composition that runs on wasm without the native kernels.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { batchNormTrain } from '../../src/bn/batch-norm-train-op.js';
import { batchNormGiven } from '../../src/bn/batch-norm-given-op.js';
import type { BnActivation } from '../../src/engine/native/bn-activation.js';
import { registerNativeKernels, unregisterNativeKernels } from '../../src/engine/native/register-all.js';
import { fallbackCount } from '../../src/engine/native/native-kernel.js';
import { createRng } from '../../src/util/rng.js';
import { randomValues, setUpNative } from './harness.js';

const skip = await setUpNative();

type Stats = 'batch' | 'given';
type Activation = Exclude<BnActivation, 'linear'>;

interface Case {
  shape: number[];
  x: Float32Array;
  dy: Float32Array;
  gamma: Float32Array | null;
  beta: Float32Array | null;
  /** For the given-statistics op. */
  mean: Float32Array;
  variance: Float32Array;
  epsilon: number;
}

const CAP: Record<Activation, number> = { relu: Infinity, relu6: 6 };

/** The fused op: output, then the gradients of sum(y · dy) by x, gamma and beta. */
function fused(c: Case, stats: Stats, activation: Activation): tf.Tensor[] {
  const channels = c.shape[c.shape.length - 1]!;
  const run = (x: tf.Tensor, gamma: tf.Tensor | null, beta: tf.Tensor | null): tf.Tensor => stats === 'batch'
    ? batchNormTrain(x, gamma, beta, c.epsilon, activation).y
    : batchNormGiven(x, tf.tensor1d(c.mean), tf.tensor1d(c.variance), gamma ?? tf.ones([channels]), beta ?? tf.zeros([channels]), c.epsilon, activation);
  return gradients(c, run);
}

/**
 * The reference: BatchNorm of tfjs ops (tf.moments for batch statistics) then tfjs's
 * activation, differentiated by tfjs with dy masked where 0 < z < cap for the pre-activation z.
 * The fused gradient masks by the output y, which cannot tell z = 6 from z > 6, so it passes
 * neither (PyTorch's convention); tfjs's own Relu6 gradient passes z = 6.
 */
function composed(c: Case, stats: Stats, activation: Activation): tf.Tensor[] {
  const channels = c.shape[c.shape.length - 1]!;
  const normalise = (x: tf.Tensor, gamma: tf.Tensor | null, beta: tf.Tensor | null): tf.Tensor => {
    const { mean, variance } = stats === 'batch' ? tf.moments(x, [...Array(x.rank - 1).keys()]) : { mean: tf.tensor1d(c.mean), variance: tf.tensor1d(c.variance) };
    return tf.batchNorm(x, mean, variance, beta ?? tf.zeros([channels]), gamma ?? tf.ones([channels]), c.epsilon);
  };
  const z = normalise(tf.tensor(c.x, c.shape), c.gamma && tf.tensor1d(c.gamma), c.beta && tf.tensor1d(c.beta));
  const mask = tf.logicalAnd(tf.greater(z, 0), tf.less(z, CAP[activation])).cast('float32');
  const y = activation === 'relu' ? tf.relu(z) : tf.relu6(z);
  const [, ...grads] = gradients(c, (x, gamma, beta) => tf.mul(normalise(x, gamma, beta), mask));
  return [y, ...grads];
}

function gradients(c: Case, f: (x: tf.Tensor, gamma: tf.Tensor | null, beta: tf.Tensor | null) => tf.Tensor): tf.Tensor[] {
  const dy = tf.tensor(c.dy, c.shape);
  const x = tf.tensor(c.x, c.shape);
  const params: (tf.Tensor | null)[] = [c.gamma, c.beta].map((p) => p && tf.tensor1d(p));
  const present = [x, ...params.filter((p): p is tf.Tensor => p !== null)];
  const loss = (...args: tf.Tensor[]): tf.Tensor => {
    let i = 1;
    const [gamma, beta] = params.map((p) => (p === null ? null : args[i++]!));
    return tf.sum(tf.mul(f(args[0]!, gamma!, beta!), dy));
  };
  const grads = tf.grads(loss)(present);
  return [f(x, params[0]!, params[1]!), ...grads];
}

function compute(which: (c: Case, s: Stats, a: Activation) => tf.Tensor[], c: Case, stats: Stats, activation: Activation): Float32Array[] {
  const out = tf.tidy(() => which(c, stats, activation));
  const values = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  return values;
}

function assertClose(actual: Float32Array[], expected: Float32Array[], label: string, tolerance = 1e-4): void {
  const names = ['y', 'dx', 'dgamma', 'dbeta'];
  assert.equal(actual.length, expected.length, `${label}: number of outputs`);
  expected.forEach((e, i) => {
    const scale = Math.max(1e-6, ...e.map(Math.abs));
    const worst = e.reduce((m, v, j) => Math.max(m, Math.abs(v - actual[i]![j]!)), 0);
    assert.ok(worst <= tolerance * scale, `${label} ${names[i]}: max deviation ${worst.toExponential(2)} against scale ${scale.toExponential(2)}`);
  });
}

/**
 * Per channel the twelve values −2, −1, −1, 0 ×6, 1, 1, 2 (mean 0, variance 1, exact with
 * ε = 0), so z = gamma·x + beta lands exactly on 0 and 6: channel 0 (3, 0) gives −6 … 0 … 6,
 * channel 1 (2, 2) gives −2, 0, 0, 2 …, 6, channel 2 (4, 1) runs past 6 to 9.
 */
function boundaryCase(): Case {
  const shape = [3, 2, 2, 3];
  const base = [-2, -1, -1, 0, 0, 0, 0, 0, 0, 1, 1, 2];
  const orders = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [11, 3, 9, 1, 4, 5, 10, 6, 0, 7, 2, 8], [5, 6, 0, 11, 1, 7, 2, 8, 10, 3, 9, 4]];
  const x = new Float32Array(36);
  for (let r = 0; r < 12; r++) for (let ch = 0; ch < 3; ch++) x[r * 3 + ch] = base[orders[ch]![r]!]!;
  const rng = createRng(77);
  return {
    shape, x, dy: randomValues(rng, shape), gamma: Float32Array.of(3, 2, 4), beta: Float32Array.of(0, 2, 1),
    mean: new Float32Array(3), variance: Float32Array.of(1, 1, 1), epsilon: 0,
  };
}

function randomCase(seed: number, gamma: boolean, beta: boolean): Case {
  const rng = createRng(seed);
  const shape = [2, 5, 4, 6];
  return {
    shape, x: randomValues(rng, shape, 2, 0.5), dy: randomValues(rng, shape),
    gamma: gamma ? randomValues(rng, [6], 1.5, 0.5) : null, beta: beta ? randomValues(rng, [6], 2) : null,
    mean: randomValues(rng, [6], 0.3, 0.5), variance: randomValues(rng, [6], 0.2, 4), epsilon: 1e-3,
  };
}

const cases: [string, Case][] = [
  ['pre-activations exactly on 0 and 6', boundaryCase()],
  ['random, gamma and beta', randomCase(1, true, true)],
  ['random, no gamma (scale: false)', randomCase(2, false, true)],
  ['random, no beta (center: false)', randomCase(3, true, false)],
  ['random, neither', randomCase(4, false, false)],
];

for (const stats of ['batch', 'given'] as const) {
  for (const activation of ['relu', 'relu6'] as const) {
    test(`BN (${stats} statistics) fused with ${activation}: native and wasm-composed match tfjs ops on cpu`, { skip }, async () => {
      const kernel = stats === 'batch' ? 'CalibraBatchNormTrainRelu' : 'CalibraFusedBatchNormRelu';
      for (const [label, c] of cases) {
        await tf.setBackend('cpu');
        const reference = compute(composed, c, stats, activation);
        await tf.setBackend('wasm');
        const tensors = tf.memory().numTensors;
        const profile = await tf.profile(() => tf.tidy(() => fused(c, stats, activation)));
        tf.dispose(profile.result as tf.Tensor[]);
        assert.ok(profile.kernelNames.includes(kernel), `${label}: ran ${profile.kernelNames.join(', ')}`);
        assert.ok(!profile.kernelNames.some((k) => /^(Relu6?|CalibraReluGrad)$/.test(k)), `${label}: a separate activation ran: ${profile.kernelNames.join(', ')}`);
        const before = fallbackCount(`${kernel}Grad`);
        assertClose(compute(fused, c, stats, activation), reference, `native, ${label}`);
        assert.equal(fallbackCount(`${kernel}Grad`), before);
        assert.equal(tf.memory().numTensors, tensors, `${label}: tensors leaked`);
        unregisterNativeKernels();
        try {
          assertClose(compute(fused, c, stats, activation), reference, `wasm without native kernels, ${label}`);
        } finally {
          registerNativeKernels();
        }
      }
    });
  }
}

test('the boundary convention, by hand: dbeta sums dy where 0 < z (and z < 6 for ReLU6), z = 0 and z = 6 excluded', { skip }, async () => {
  await tf.setBackend('wasm');
  const c = boundaryCase();
  for (const stats of ['batch', 'given'] as const) {
    for (const activation of ['relu', 'relu6'] as const) {
      const dbeta = compute(fused, c, stats, activation)[3]!;
      for (let ch = 0; ch < 3; ch++) {
        let expected = 0;
        for (let r = 0; r < 12; r++) {
          const z = c.gamma![ch]! * c.x[r * 3 + ch]! + c.beta![ch]!;
          if (z > 0 && z < CAP[activation]) expected += c.dy[r * 3 + ch]!;
        }
        assert.ok(Math.abs(dbeta[ch]! - expected) < 1e-5, `${stats} ${activation} channel ${ch}: ${dbeta[ch]} vs ${expected}`);
      }
    }
  }
});
