import test from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../src/engine/tf.js';
import { registerWasmTrainingKernels } from '../../src/engine/kernels/register-all.js';

registerWasmTrainingKernels();
await tf.setBackend('wasm');

const buffers = () => tf.engine().backend.numDataIds();

test('a cast to the same dtype shares memory, freed only with its last tensor', () => {
  const before = buffers();
  const x = tf.tensor1d([1.5, -2, 3]);
  const y = tf.cast(x, 'float32');
  assert.equal(y.dataId, x.dataId);
  assert.equal(buffers() - before, 1, 'one buffer for both tensors');
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1.5, -2, 3]);
  y.dispose();
  assert.equal(buffers(), before);
});

test('casts that change the dtype still convert', () => {
  const floats = tf.tensor1d([1.7, -2.2, 0]);
  const ints = tf.cast(floats, 'int32');
  const back = tf.cast(tf.tensor1d([3, -4], 'int32'), 'float32');
  assert.notEqual(ints.dataId, floats.dataId);
  assert.deepEqual([ints.dtype, Array.from(ints.dataSync())], ['int32', [1, -2, 0]]);
  assert.deepEqual([back.dtype, Array.from(back.dataSync())], ['float32', [3, -4]]);
  tf.dispose([floats, ints, back]);
});

test('the gradient through a residual Add merge (a clone, differentiated as a cast) is the upstream gradient', () => {
  const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const add = tf.layers.add();
  const w = tf.tensor2d([0.5, -1, 2, 3], [2, 2]);
  const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(add.apply([t, tf.mul(t, 3)]) as tf.Tensor, w)))(x);
  // d/dx Σ w·(x + 3x) = 4w
  assert.deepEqual(Array.from(dx.dataSync()), [2, -4, 8, 12]);
  tf.dispose([x, w, dx]);
});
