// Label smoothing in the cross-entropy, for both output kinds, against a computation by hand.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { crossEntropy } from '../../src/train/loss.js';

await tf.setBackend('cpu');

const logits = [[2, 0.5, -1], [0.1, 0.2, 3]];
const labels = [0, 1];

/** Σ over rows of −Σ_k target_k·log softmax_k, averaged; target = (1 − ε)·one-hot + ε/K. */
function byHand(rows: number[][], ys: number[], eps: number): number {
  let total = 0;
  rows.forEach((row, i) => {
    const z = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    row.forEach((v, k) => {
      const target = (k === ys[i] ? 1 - eps : 0) + eps / row.length;
      total -= target * (v - z);
    });
  });
  return total / rows.length;
}

const lossOf = (output: number[][], kind: 'logits' | 'probabilities', eps: number) =>
  tf.tidy(() => crossEntropy(tf.tensor2d(output), tf.tensor1d(labels, 'int32'), 3, kind, eps).dataSync()[0]!);

test('label smoothing on logits matches (1 − ε)·one-hot + ε/K by hand', () => {
  for (const eps of [0, 0.1, 0.3]) {
    const expected = byHand(logits, labels, eps);
    assert.ok(Math.abs(lossOf(logits, 'logits', eps) - expected) < 1e-5, `ε=${eps}: ${lossOf(logits, 'logits', eps)} vs ${expected}`);
  }
  assert.ok(lossOf(logits, 'logits', 0.1) !== lossOf(logits, 'logits', 0), 'ε changes the loss');
});

test('label smoothing on probabilities (a softmax output) gives the same loss as on its logits', () => {
  const probabilities = logits.map((row) => {
    const sum = row.reduce((s, v) => s + Math.exp(v), 0);
    return row.map((v) => Math.exp(v) / sum);
  });
  for (const eps of [0, 0.1, 0.3]) {
    const expected = byHand(logits, labels, eps);
    assert.ok(Math.abs(lossOf(probabilities, 'probabilities', eps) - expected) < 1e-5, `ε=${eps}: ${lossOf(probabilities, 'probabilities', eps)} vs ${expected}`);
  }
});
