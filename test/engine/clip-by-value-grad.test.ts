import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import { onBothBackends, randomValues, setUpBackends } from './wasm-vs-cpu.js';

await setUpBackends();

// The kernel selects dy's values, so it must agree with tfjs's own gradient exactly: at the
// bounds (inside), for NaN x (outside), and for non-finite dy on either side.
test('the ClipByValue gradient on wasm equals cpu exactly, bounds and non-finite values included', async () => {
  const shape = [3, 4, 5, 6];
  const rng = createRng(3201);
  const x = randomValues(rng, shape).map((v) => 4 * v);
  const dy = randomValues(rng, shape);
  x.set([0, 6, NaN, -0, 7, -1], 0);
  dy.set([NaN, Infinity, NaN, -Infinity, NaN, Infinity], 0);
  const { wasm, cpu } = await onBothBackends(() => {
    const gradient = tf.grad((t: tf.Tensor) => tf.clipByValue(t, 0, 6));
    return [gradient(tf.tensor(x, shape), tf.tensor(dy, shape))];
  });
  assert.deepEqual(Array.from(wasm[0]!), Array.from(cpu[0]!));
});

// tfjs compares x with the bounds as float32 tensors, so x = fround(-0.1), below -0.1, is inside
// [-0.1, 0.1] and fround(0.1), above 0.1, too.
test('the ClipByValue gradient on wasm equals cpu for bounds that float32 cannot hold', async () => {
  const x = Float32Array.from([-0.1, 0.1, -0.10000001, 0.10000001, 0.05, -0.2, 0.2, 0]);
  const dy = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const { wasm, cpu } = await onBothBackends(() => {
    const gradient = tf.grad((t: tf.Tensor) => tf.clipByValue(t, -0.1, 0.1));
    return [gradient(tf.tensor(x), tf.tensor(dy))];
  });
  assert.deepEqual(Array.from(wasm[0]!), Array.from(cpu[0]!));
  assert.deepEqual(Array.from(wasm[0]!).slice(0, 2), [1, 2]);
});

test("tf.layers' ReLU with maxValue trains through the ClipByValue gradient on wasm", async () => {
  const values = randomValues(createRng(3202), [2, 3, 3, 4]).map((v) => 5 * v);
  const { wasm, cpu } = await onBothBackends(() => {
    const relu6 = tf.layers.reLU({ maxValue: 6 });
    const gradient = tf.grad((t: tf.Tensor) => tf.sum(tf.square(relu6.apply(t) as tf.Tensor)));
    return [gradient(tf.tensor(values, [2, 3, 3, 4]))];
  });
  assert.deepEqual(Array.from(wasm[0]!), Array.from(cpu[0]!));
});
