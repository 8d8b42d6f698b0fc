// CalibraBatchNormTrain and CalibraBatchNormTrainGrad on the native engine, against the same
// batch normalisation composed of tfjs ops (and differentiated by tfjs) on the cpu backend;
// FusedBatchNorm and its gradient against tfjs's own.
import assert from 'node:assert/strict';
import test from 'node:test';

import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, batchNormTrain } from '../../src/bn/batch-norm-train-op.js';
import { tf } from '../../src/engine/tf.js';
import { CALIBRA_BATCH_NORM_TRAIN } from '../../src/engine/native/calibra-batch-norm-train.js';
import { CALIBRA_BATCH_NORM_TRAIN_GRAD } from '../../src/engine/native/calibra-batch-norm-train-grad.js';
import { CALIBRA_FUSED_BATCH_NORM_GRAD } from '../../src/engine/kernels/fused-batch-norm-grad.js';
import { createRng } from '../../src/util/rng.js';
import { assertClose, nativeAndCpu, randomValues, setUpNative } from './harness.js';

const skip = await setUpNative();

interface Case {
  shape: number[];
  epsilon: number;
}

const cases: Case[] = [
  { shape: [4, 5, 7, 3], epsilon: 1e-3 },
  { shape: [2, 6, 6, 16], epsilon: 1e-5 },
  { shape: [3, 9, 4, 48], epsilon: 1e-3 },
  // Past native/elementwise.h's kMinParallelElements, so each thread sums its own rows.
  { shape: [5, 17, 15, 40], epsilon: 1e-3 },
  { shape: [1, 3, 5, 1], epsilon: 1e-3 },
  { shape: [16, 10], epsilon: 1e-3 },
  { shape: [5, 7, 6], epsilon: 1e-4 },
];

type Inputs = { x: tf.Tensor; scale: tf.Tensor1D; offset: tf.Tensor1D };

/** The reference: batch statistics over every axis but the last, biased variance. */
function composed({ x, scale, offset }: Inputs, epsilon: number): tf.Tensor[] {
  const axes = [...Array(x.rank - 1).keys()];
  const { mean, variance } = tf.moments(x, axes);
  const y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), scale), offset);
  return [y, mean, variance];
}

function inputs(c: Case, seed: number): { x: Float32Array; scale: Float32Array; offset: Float32Array; dy: Float32Array } {
  const rng = createRng(seed);
  const channels = c.shape[c.shape.length - 1]!;
  return {
    // Off-centre and spread out, so a one-pass variance would show its cancellation error.
    x: randomValues(rng, c.shape, 2, 3),
    scale: randomValues(rng, [channels], 0.5, 1),
    offset: randomValues(rng, [channels]),
    dy: randomValues(rng, c.shape),
  };
}

test('the kernel names are the ones the BN layer runs', () => {
  assert.equal(CALIBRA_BATCH_NORM_TRAIN, BATCH_NORM_TRAIN);
  assert.equal(CALIBRA_BATCH_NORM_TRAIN_GRAD, BATCH_NORM_TRAIN_GRAD);
});

cases.forEach((c, i) => {
  const v = inputs(c, 100 + i);
  const channels = c.shape[c.shape.length - 1]!;
  const tensors = (): Inputs => ({ x: tf.tensor(v.x, c.shape), scale: tf.tensor1d(v.scale), offset: tf.tensor1d(v.offset) });

  test(`CalibraBatchNormTrain [${c.shape}], epsilon ${c.epsilon}`, { skip }, async () => {
    const r = await nativeAndCpu(() => {
      const t = tensors();
      if (tf.getBackend() === 'cpu') return composed(t, c.epsilon);
      const attrs = { epsilon: c.epsilon } as unknown as tf.NamedAttrMap;
      return tf.engine().runKernel(BATCH_NORM_TRAIN, { ...t }, attrs) as tf.Tensor[];
    }, [BATCH_NORM_TRAIN]);
    assertClose(r, 1e-5, ['y', 'mean', 'variance']);
  });

  test(`CalibraBatchNormTrainGrad [${c.shape}] is the gradient through the batch statistics`, { skip }, async () => {
    const r = await nativeAndCpu(() => {
      const t = tensors();
      const dy = tf.tensor(v.dy, c.shape);
      if (tf.getBackend() === 'cpu') {
        const f = (x: tf.Tensor, scale: tf.Tensor1D, offset: tf.Tensor1D): tf.Tensor =>
          tf.sum(tf.mul(composed({ x, scale, offset }, c.epsilon)[0]!, dy));
        return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([t.x, t.scale, t.offset]);
      }
      const axes = [...Array(c.shape.length - 1).keys()];
      const { mean, variance } = tf.moments(t.x, axes);
      const attrs = { epsilon: c.epsilon } as unknown as tf.NamedAttrMap;
      return tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { dy, x: t.x, scale: t.scale, mean, variance }, attrs) as tf.Tensor[];
    }, [BATCH_NORM_TRAIN_GRAD]);
    assertClose(r, 1e-4, ['dx', 'dscale', 'doffset']);
    assert.deepEqual(r.nativeShapes, [c.shape, [channels], [channels]]);
  });

  test(`batchNormTrain (the BN layer's op) and tf.grads [${c.shape}] match cpu`, { skip }, async () => {
    const r = await nativeAndCpu(() => {
      const t = tensors();
      const dy = tf.tensor(v.dy, c.shape);
      const { mean, variance } = batchNormTrain(t.x, t.scale, t.offset, c.epsilon);
      const f = (x: tf.Tensor, scale: tf.Tensor1D, offset: tf.Tensor1D): tf.Tensor =>
        tf.sum(tf.mul(batchNormTrain(x, scale, offset, c.epsilon).y, dy));
      return [mean, variance, ...tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([t.x, t.scale, t.offset])];
    }, [BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD]);
    assertClose(r, 1e-4, ['mean', 'variance', 'dx', 'dscale', 'doffset']);
  });
});

// FusedBatchNorm (statistics given: inference and frozen statistics) and its gradient, against
// tfjs on the cpu backend. tf.grads through tf.batchNorm needs scale and offset present (see
// test/engine/fused-batch-norm.test.ts); the gradient kernel without a scale is compared with
// tfjs's gradient at scale 1.
const givenStatsCases: { shape: number[]; scale: boolean; offset: boolean }[] = [
  { shape: [4, 5, 7, 3], scale: true, offset: true },
  // Past native/elementwise.h's kMinParallelElements, so the rows are split between threads.
  { shape: [5, 17, 15, 40], scale: true, offset: true },
  { shape: [16, 10], scale: true, offset: true },
  { shape: [3, 9, 4, 48], scale: false, offset: true },
  { shape: [5, 7, 6], scale: true, offset: false },
  { shape: [2, 6, 6, 16], scale: false, offset: false },
];

givenStatsCases.forEach(({ shape, scale, offset }, i) => {
  const channels = [shape[shape.length - 1]!];
  const label = `[${shape}]${scale ? '' : ', no scale'}${offset ? '' : ', no offset'}`;
  const tensors = (): Record<'x' | 'mean' | 'variance' | 'scale' | 'offset' | 'dy', tf.Tensor> => {
    const rng = createRng(200 + i);
    return {
      x: tf.tensor(randomValues(rng, shape, 2, 3), shape),
      mean: tf.tensor(randomValues(rng, channels, 1, 3), channels),
      variance: tf.tensor(randomValues(rng, channels).map((v) => v * v + 0.1), channels),
      scale: tf.tensor(randomValues(rng, channels, 0.5, 1), channels),
      offset: tf.tensor(randomValues(rng, channels), channels),
      dy: tf.tensor(randomValues(rng, shape), shape),
    };
  };

  test(`FusedBatchNorm ${label}`, { skip }, async () => {
    const r = await nativeAndCpu(() => {
      const t = tensors();
      return [tf.batchNorm(t.x, t.mean, t.variance, offset ? t.offset : undefined, scale ? t.scale : undefined, 1e-3)];
    }, ['FusedBatchNorm']);
    assertClose(r, 1e-5, ['y']);
  });

  test(`the FusedBatchNorm gradient ${label} matches tfjs's`, { skip }, async () => {
    const names = ['dx', 'dmean', 'dvariance', 'dscale', 'doffset'];
    const r = await nativeAndCpu(() => {
      const t = tensors();
      const gamma = scale ? t.scale : tf.onesLike(t.mean);
      const f = (x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, s: tf.Tensor, o: tf.Tensor): tf.Tensor =>
        tf.sum(tf.mul(tf.batchNorm(x, mean, variance, o, s, 1e-3), t.dy));
      if (tf.getBackend() === 'cpu' || scale) {
        return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([t.x, t.mean, t.variance, gamma, t.offset]);
      }
      const attrs = { varianceEpsilon: 1e-3 } as unknown as tf.NamedAttrMap;
      const inputs = { dy: t.dy, x: t.x, mean: t.mean, variance: t.variance };
      return tf.engine().runKernel(CALIBRA_FUSED_BATCH_NORM_GRAD, inputs, attrs) as tf.Tensor[];
    }, [CALIBRA_FUSED_BATCH_NORM_GRAD]);
    assertClose(r, 1e-5, names);
  });
});
