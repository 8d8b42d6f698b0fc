import assert from 'node:assert/strict';
import test from 'node:test';
import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import { assertClose, onBothBackends, randomValues, setUpBackends } from './wasm-vs-cpu.js';

await setUpBackends();

// Per-channel statistics take the fast path, with and without scale and offset; statistics
// broadcast from a scalar or varying along other axes go to the shipped kernel.
const cases: { label: string; x: number[]; stats: number[]; scale: boolean; offset: boolean }[] = [
  { label: 'NHWC activations', x: [3, 5, 4, 6], stats: [6], scale: true, offset: true },
  { label: 'statistics shaped [1, 1, 1, C]', x: [2, 3, 3, 4], stats: [1, 1, 1, 4], scale: true, offset: true },
  { label: 'no scale or offset', x: [2, 4, 3, 5], stats: [5], scale: false, offset: false },
  { label: 'dense features', x: [7, 3], stats: [3], scale: true, offset: false },
  { label: 'scalar statistics', x: [2, 3, 4], stats: [1], scale: true, offset: true },
  { label: 'per-position statistics', x: [2, 3, 4], stats: [3, 4], scale: false, offset: true },
];

for (const { label, x, stats, scale, offset } of cases) {
  test(`FusedBatchNorm on wasm matches cpu: ${label}`, async () => {
    const rng = createRng(3101);
    const input = randomValues(rng, x);
    const mean = randomValues(rng, stats);
    const variance = randomValues(rng, stats).map((v) => v * v + 0.1);
    const gamma = randomValues(rng, stats);
    const beta = randomValues(rng, stats);
    const results = await onBothBackends(() => [
      tf.batchNorm(
        tf.tensor(input, x),
        tf.tensor(mean, stats),
        tf.tensor(variance, stats),
        offset ? tf.tensor(beta, stats) : undefined,
        scale ? tf.tensor(gamma, stats) : undefined,
        1e-3,
      ),
    ]);
    assertClose(results, 1e-5);
  });
}

// The gradient: one kernel for per-channel statistics of rank 1, tfjs's composition otherwise.
// tf.grads needs scale and offset present: tfjs's engine saves every input named in the
// gradient's inputsToSave (scale among them) and its tape reads every input, so a missing one
// throws on every backend. The kernel without a scale is checked directly, against scale 1.
const gradientCases: { label: string; x: number[] }[] = [
  { label: 'NHWC activations', x: [3, 5, 4, 6] },
  { label: 'dense features', x: [7, 3] },
  { label: 'a sequence', x: [4, 6, 2] },
  { label: 'one value per channel', x: [1, 1, 1, 8] },
];

function gradientInputs(x: number[], seed: number): Record<'x' | 'mean' | 'variance' | 'scale' | 'offset' | 'dy', tf.Tensor> {
  const rng = createRng(seed);
  const channels = [x[x.length - 1]!];
  return {
    x: tf.tensor(randomValues(rng, x).map((v) => 2 * v + 1), x),
    mean: tf.tensor(randomValues(rng, channels), channels),
    variance: tf.tensor(randomValues(rng, channels).map((v) => v * v + 0.1), channels),
    scale: tf.tensor(randomValues(rng, channels), channels),
    offset: tf.tensor(randomValues(rng, channels), channels),
    dy: tf.tensor(randomValues(rng, x), x),
  };
}

/** Gradients with respect to x, mean, variance, scale and offset, in that order. */
function batchNormGradients(t: ReturnType<typeof gradientInputs>): tf.Tensor[] {
  const f = (x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor): tf.Tensor =>
    tf.sum(tf.mul(tf.batchNorm(x, mean, variance, offset, scale, 1e-3), t.dy));
  return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([t.x, t.mean, t.variance, t.scale, t.offset]);
}

for (const { label, x } of gradientCases) {
  test(`the FusedBatchNorm gradient on wasm is one kernel and matches cpu: ${label}`, async () => {
    const gradients = (): tf.Tensor[] => batchNormGradients(gradientInputs(x, 3102));
    assertClose(await onBothBackends(gradients), 1e-5, ['dx', 'dmean', 'dvariance', 'dscale', 'doffset']);

    const info = await tf.profile(() => tf.tidy(gradients));
    tf.dispose(info.result as tf.Tensor[]);
    const kernels = info.kernelNames;
    assert.ok(kernels.includes('CalibraFusedBatchNormGrad') && !kernels.includes('Tile'), 'wasm runs the one kernel');
  });
}

test('the FusedBatchNorm gradient kernel without a scale computes it with scale 1', async () => {
  const shape = [2, 4, 3, 5];
  const withoutScale = (): tf.Tensor[] => {
    const t = gradientInputs(shape, 3103);
    if (tf.getBackend() === 'cpu') return batchNormGradients({ ...t, scale: tf.onesLike(t.mean) });
    const { dy, x, mean, variance } = t;
    const attrs = { varianceEpsilon: 1e-3 } as unknown as tf.NamedAttrMap;
    return tf.engine().runKernel('CalibraFusedBatchNormGrad', { dy, x, mean, variance }, attrs) as tf.Tensor[];
  };
  assertClose(await onBothBackends(withoutScale), 1e-5, ['dx', 'dmean', 'dvariance', 'dscale', 'doffset']);
});

test('the FusedBatchNorm gradient keeps tfjs composition for statistics of another rank', async () => {
  const gradient = (): tf.Tensor[] => {
    const stats = (values: number[]): tf.Tensor => tf.tensor(values, [1, 2]);
    const f = (t: tf.Tensor): tf.Tensor =>
      tf.batchNorm(t, stats([0.5, -1]), stats([2, 0.5]), stats([1, 2]), stats([-1, 3]), 1e-3);
    return [tf.grad(f)(tf.tensor([[1, 2]]), tf.tensor([[3, -4]]))];
  };
  assertClose(await onBothBackends(gradient), 1e-6);
  const info = await tf.profile(() => tf.tidy(gradient));
  tf.dispose(info.result as tf.Tensor[]);
  assert.ok(!info.kernelNames.includes('CalibraFusedBatchNormGrad'));
});
