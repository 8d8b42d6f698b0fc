import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import { assertClose, onBothBackends, randomValues, setUpBackends } from './wasm-vs-cpu.js';

await setUpBackends();

// Per-channel means (every axis but the last) take the fast path, including one value per
// channel; the others check that other reductions still work.
const cases: { shape: number[]; axis: number | number[]; keepDims: boolean }[] = [
  { shape: [4, 5, 7, 6], axis: [0, 1, 2], keepDims: false },
  { shape: [4, 5, 7, 6], axis: [0, 1, 2], keepDims: true },
  { shape: [9, 3], axis: [0], keepDims: true },
  { shape: [1, 4], axis: 0, keepDims: false },
  { shape: [4, 5, 7, 6], axis: [0, 3], keepDims: false },
  { shape: [6, 5], axis: [0, 1], keepDims: false },
];

for (const { shape, axis, keepDims } of cases) {
  test(`Mean on wasm matches cpu: [${shape}] over ${JSON.stringify(axis)}${keepDims ? ', keepDims' : ''}`, async () => {
    const values = randomValues(createRng(3001), shape);
    const results = await onBothBackends(() => {
      const mean = tf.mean(tf.tensor(values, shape), axis, keepDims);
      assert.deepEqual(mean.shape, tf.mean(tf.zeros(shape), axis, keepDims).shape);
      return [mean];
    });
    assertClose(results, 1e-5);
  });
}
