import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import { assertClose, onBothBackends, randomValues, setUpBackends } from './wasm-vs-cpu.js';

await setUpBackends();

// Per-channel sums (every axis but the last) take the fast path, including one value per
// channel and a mean far from zero; the others check that other reductions still work.
const cases: { shape: number[]; axis: number | number[]; keepDims: boolean; shift?: number }[] = [
  { shape: [4, 5, 7, 6], axis: [0, 1, 2], keepDims: false },
  { shape: [4, 5, 7, 6], axis: [2, 0, 1], keepDims: true },
  { shape: [3, 6, 5, 4], axis: [0, 1, 2], keepDims: false, shift: 40 },
  { shape: [9, 3], axis: 0, keepDims: false },
  { shape: [2, 3, 5], axis: [0, 1], keepDims: true },
  { shape: [1, 1, 1, 5], axis: [0, 1, 2], keepDims: false },
  { shape: [4, 5, 7, 6], axis: [1, 2], keepDims: false },
  { shape: [4, 5, 6], axis: -1, keepDims: false },
  { shape: [4, 5, 6], axis: [0, 1, 2], keepDims: false },
];

for (const { shape, axis, keepDims, shift = 0 } of cases) {
  test(`Sum on wasm matches cpu: [${shape}] over ${JSON.stringify(axis)}${keepDims ? ', keepDims' : ''}`, async () => {
    const values = randomValues(createRng(2901), shape).map((v) => v + shift);
    const results = await onBothBackends(() => {
      const total = tf.sum(tf.tensor(values, shape), axis, keepDims);
      assert.deepEqual(total.shape, tf.sum(tf.zeros(shape), axis, keepDims).shape);
      return [total];
    });
    // Sums of random signs cancel to a small total; float32 rounding in a different order then
    // shows up against that total, hence the absolute floor.
    assertClose(results, 1e-5, [], 1e-5);
  });
}

test('Sum on wasm keeps int32 sums exact', async () => {
  const total = tf.sum(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], 'int32'), [0, 1]);
  assert.equal(total.dtype, 'int32');
  assert.deepEqual(await total.array(), [16, 20]);
  total.dispose();
});
