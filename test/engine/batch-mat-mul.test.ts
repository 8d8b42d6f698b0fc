import test from 'node:test';
import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import { assertClose, onBothBackends, randomValues, setUpBackends } from './wasm-vs-cpu.js';

await setUpBackends();

// Shapes of a and b before the flags apply. Both rewrites of a transposed product get chosen:
// dX = dY·Wᵀ of a wide layer swaps the product, dW = Xᵀ·dY does not.
const cases: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [
  { a: [6, 40], b: [6, 30], transposeA: true, transposeB: false },
  { a: [6, 30], b: [40, 30], transposeA: false, transposeB: true },
  { a: [5, 7], b: [9, 5], transposeA: true, transposeB: true },
  { a: [1, 8, 3], b: [8, 4], transposeA: true, transposeB: false },
  { a: [1, 3, 8], b: [1, 5, 8], transposeA: false, transposeB: true },
  { a: [3, 4, 6], b: [3, 4, 5], transposeA: true, transposeB: false },
  { a: [7, 3], b: [3, 2], transposeA: false, transposeB: false },
];

for (const { a, b, transposeA, transposeB } of cases) {
  test(`BatchMatMul on wasm matches cpu: [${a}]${transposeA ? 'ᵀ' : ''} · [${b}]${transposeB ? 'ᵀ' : ''}`, async () => {
    const rng = createRng(2801);
    const left = randomValues(rng, a);
    const right = randomValues(rng, b);
    const results = await onBothBackends(() => [
      tf.matMul(tf.tensor(left, a), tf.tensor(right, b), transposeA, transposeB),
    ]);
    assertClose(results);
  });
}
