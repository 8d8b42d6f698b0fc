import test from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-wasm';
import { getKernel } from '@tensorflow/tfjs-core';
import { tf } from '../../src/engine/tf.js';
import { registerWasmTrainingKernels } from '../../src/engine/kernels/register-all.js';
import { Adam, Momentum, type StepOptimizer } from '../../src/train/optimizers.js';
import { createRng } from '../../src/util/rng.js';

registerWasmTrainingKernels();

/** Five steps of ours and of tfjs's optimizer from the same start and gradients. */
function compare(ours: () => StepOptimizer, theirs: () => tf.Optimizer): number {
  const rng = createRng(9);
  const init = [Float32Array.from({ length: 37 }, () => rng.normal()), Float32Array.from({ length: 6 }, () => rng.normal())];
  const a = init.map((v, i) => tf.variable(tf.tensor1d(v), true, `ours${i}-${Math.random()}`));
  const b = init.map((v, i) => tf.variable(tf.tensor1d(v), true, `ref${i}-${Math.random()}`));
  const [oa, ob] = [ours(), theirs()];
  let worst = 0;
  for (let step = 0; step < 5; step++) {
    const grads = init.map((v) => tf.tensor1d(Float32Array.from(v, () => rng.normal())));
    oa.applyGradients(Object.fromEntries(a.map((v, i) => [v.name, grads[i]!])));
    ob.applyGradients(Object.fromEntries(b.map((v, i) => [v.name, grads[i]!])));
    tf.dispose(grads);
    a.forEach((v, i) => {
      const [x, y] = [v.dataSync(), b[i]!.dataSync()];
      x.forEach((xv, j) => (worst = Math.max(worst, Math.abs(xv - y[j]!) / Math.max(1, Math.abs(y[j]!)))));
    });
  }
  oa.dispose();
  ob.dispose();
  tf.dispose([...a, ...b]);
  return worst;
}

for (const backend of ['wasm', 'cpu']) {
  test(`${backend}: Adam and momentum SGD match tfjs's optimizers step for step`, async () => {
    await tf.setBackend(backend);
    assert.equal(getKernel('CalibraAdamUpdate', backend) != null, backend === 'wasm', 'fused on wasm, composed elsewhere');
    assert.ok(compare(() => new Adam(0.01), () => tf.train.adam(0.01)) < 1e-5);
    assert.ok(compare(() => new Momentum(0.05, 0.9), () => tf.train.momentum(0.05, 0.9)) < 1e-5);
  });
}

test('optimizer state is freed on dispose', async () => {
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    for (const make of [() => new Adam(0.1), () => new Momentum(0.1)]) {
      const v = tf.variable(tf.tensor1d([1, 2]), true, `leak-${Math.random()}`);
      const before = tf.memory().numTensors;
      const opt = make();
      for (let i = 0; i < 3; i++) tf.tidy(() => opt.applyGradients({ [v.name]: tf.tensor1d([0.1, 0.2]) }));
      opt.dispose();
      assert.equal(tf.memory().numTensors, before, backend);
      v.dispose();
    }
  }
});

test('the learning rate can change between steps', async () => {
  await tf.setBackend('wasm');
  const v = tf.variable(tf.tensor1d([1]), true, `lr-${Math.random()}`);
  const opt = new Momentum(1, 0);
  opt.setLearningRate(0.5);
  opt.applyGradients({ [v.name]: tf.tensor1d([2]) });
  assert.deepEqual(Array.from(v.dataSync()), [0]);
  opt.dispose();
  v.dispose();
});
