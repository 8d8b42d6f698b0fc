import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { initEngine } from '../../src/engine/backend.js';
import { HeapExhaustedError } from '../../src/engine/heap-guard.js';

const report = await initEngine();

test('filling the 4 GiB wasm heap raises HeapExhaustedError, and the backend keeps working', { skip: report.tfjsBackend === 'wasm' ? false : `backend ${report.name} has no wasm heap` }, () => {
  const held: tf.Tensor[] = [];
  let caught: unknown;
  try {
    for (let i = 0; i < 8; i++) held.push(tf.zeros([256, 1024, 1024]));
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof HeapExhaustedError, `got ${caught}`);
  assert.match((caught as Error).message, /wasm heap is full: 1024 MiB more did not fit/);
  assert.ok(held.length >= 2 && held.length < 4, `${held.length} GiB tensors fitted`);
  for (const t of held) assert.deepEqual(Array.from(tf.slice(t, [255, 1023, 1016], [1, 1, 8]).dataSync()), [0, 0, 0, 0, 0, 0, 0, 0], 'earlier tensors intact');
  tf.dispose(held);
  assert.equal(tf.sum(tf.ones([1000])).dataSync()[0], 1000);
});
