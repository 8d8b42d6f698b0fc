// The bench's per-kernel timer: every kernel the engine dispatches is counted once per call,
// a kernel's parts are not counted again, and the registry is left as it was.
import test from 'node:test';
import assert from 'node:assert/strict';
import { getKernel } from '@tensorflow/tfjs-core';
import { tf } from '../../src/engine/tf.js';
import { profileStep } from '../../src/bench/profile-step.js';

await tf.setBackend('cpu');

test('kernel calls per step, averaged over the profiled steps; the registry restored after', async () => {
  const before = getKernel('Add', 'cpu')!.kernelFunc;
  const x = tf.tensor1d([1, -2, 3]);
  const p = await profileStep(async () => {
    const y = tf.tidy(() => tf.relu(tf.add(tf.add(x, x), x)));
    await y.data();
    y.dispose();
  }, 4);
  assert.equal(p.steps, 4);
  const calls = Object.fromEntries(p.kernels.map((k) => [k.kernel, k.calls]));
  assert.deepEqual(calls, { Add: 2, Relu: 1 });
  assert.ok(p.kernels.every((k) => k.ms >= 0) && p.kernelMs <= p.stepMs);
  assert.equal(getKernel('Add', 'cpu')!.kernelFunc, before, 'the registered function is the original again');
  x.dispose();
});
