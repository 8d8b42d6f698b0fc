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
