import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import { assertClose, onBothBackends, randomValues, setUpBackends } from './wasm-vs-cpu.js';

await setUpBackends();

// Per-channel factors tiled to an activation (BatchNorm's gradient), repeats of small and of
// memmove-sized blocks, inner and outer axes, ranks 1 to 5, and nothing repeated at all.
const cases: { shape: number[]; reps: number[] }[] = [
  { shape: [1, 1, 1, 7], reps: [3, 5, 4, 1] },
  { shape: [1, 1, 1, 96], reps: [2, 3, 3, 1] },
  { shape: [2, 3, 1, 4], reps: [2, 1, 5, 3] },
  { shape: [4, 1], reps: [1, 70] },
  { shape: [5], reps: [9] },
  { shape: [2, 3, 2, 2, 3], reps: [2, 1, 2, 1, 2] },
  { shape: [3, 4], reps: [1, 1] },
  { shape: [0, 4], reps: [3, 2] },
];

for (const { shape, reps } of cases) {
  test(`Tile on wasm matches cpu: [${shape}] by [${reps}]`, async () => {
    const values = randomValues(createRng(2401), shape);
    assertClose(await onBothBackends(() => [tf.tile(tf.tensor(values, shape), reps)]), 0);
  });
}

test('Tile on wasm keeps int32 and bool values', async () => {
  const ints = tf.tile(tf.tensor2d([1, -2, 3, 4], [2, 2], 'int32'), [2, 3]);
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(await ints.array(), [
    [1, -2, 1, -2, 1, -2], [3, 4, 3, 4, 3, 4], [1, -2, 1, -2, 1, -2], [3, 4, 3, 4, 3, 4],
  ]);
  const bools = tf.tile(tf.tensor1d([true, false], 'bool'), [2]);
  assert.equal(bools.dtype, 'bool');
  assert.deepEqual(await bools.array(), [1, 0, 1, 0]);
  tf.dispose([ints, bools]);
});
