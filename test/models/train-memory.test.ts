import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateTrainMemory, formatBytes, optimizerSlots } from '../../src/models/train-memory.js';

const groups = [
  { params: 100, activations: 1000, trains: false },
  { params: 200, activations: 500, trains: true },
  { params: 50, activations: 10, trains: true },
];

test('weights, trained state and kept activations add up as float32 by hand', () => {
  const m = estimateTrainMemory({ groups, inputElements: 300, batch: 4, accum: 1, optimizerSlots: 2 });
  assert.equal(m.weights, 350 * 4);
  // 250 trained weights: a gradient and adam's two slots.
  assert.equal(m.training, 250 * 4 * 3);
  // Per image: the input and every output (1510), the frozen group's too.
  assert.equal(m.activations, 4 * (300 + 1510) * 4);
  assert.equal(m.total, m.weights + m.training + m.activations);
});

test('accumulation adds one gradient buffer; freezing changes the trained state, not the activations the tape keeps', () => {
  const accum = estimateTrainMemory({ groups, inputElements: 300, batch: 4, accum: 4, optimizerSlots: 1 });
  assert.equal(accum.training, 250 * 4 * 3);
  const frozen = estimateTrainMemory({ groups: groups.map((g) => ({ ...g, trains: false })), inputElements: 300, batch: 2, accum: 1, optimizerSlots: 2 });
  assert.equal(frozen.training, 0);
  assert.equal(frozen.activations, 2 * (300 + 1510) * 4);
});

test('doubling the batch doubles only the activations', () => {
  const a = estimateTrainMemory({ groups, inputElements: 300, batch: 8, accum: 1, optimizerSlots: 2 });
  const b = estimateTrainMemory({ groups, inputElements: 300, batch: 16, accum: 1, optimizerSlots: 2 });
  assert.equal(b.activations, 2 * a.activations);
  assert.equal(b.weights + b.training, a.weights + a.training);
});

test('optimizer slots and byte formatting', () => {
  assert.equal(optimizerSlots('sgd'), 1);
  assert.equal(optimizerSlots('adamw'), 2);
  assert.equal(formatBytes(3 * 2 ** 30), '3.00 GiB');
  assert.equal(formatBytes(18.4 * 2 ** 20), '18 MiB');
  assert.equal(formatBytes(10), '1 MiB');
});
