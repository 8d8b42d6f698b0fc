import test from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-wasm';
import { getKernel } from '@tensorflow/tfjs-core';
import { tf } from '../../src/engine/tf.js';
import { registerWasmTrainingKernels } from '../../src/engine/kernels/register-all.js';
import { Adam, Momentum, optimizerFor, type StepOptimizer } from '../../src/train/optimizers.js';
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
    assert.ok(compare(() => new Momentum(0.05, { momentum: 0.9 }), () => tf.train.momentum(0.05, 0.9)) < 1e-5);
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
  const opt = new Momentum(1, { momentum: 0 });
  opt.setLearningRate(0.5);
  opt.applyGradients({ [v.name]: tf.tensor1d([2]) });
  assert.deepEqual(Array.from(v.dataSync()), [0]);
  opt.dispose();
  v.dispose();
});

/** PyTorch's update rules written out in float64, one scalar at a time: the independent reference. */
function reference(kind: 'sgd' | 'nesterov' | 'adam' | 'adamw', lr: number, wd: number, p0: number[], grads: number[][]): number[] {
  const p = p0.slice();
  const a = p.map(() => 0);
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  grads.forEach((g, t) => {
    for (let i = 0; i < p.length; i++) {
      if (kind === 'sgd' || kind === 'nesterov') {
        const gi = g[i]! + wd * p[i]!;
        a[i] = 0.9 * a[i]! + gi;
        p[i] = p[i]! - lr * (kind === 'nesterov' ? gi + 0.9 * a[i]! : a[i]!);
      } else {
        if (kind === 'adamw') p[i] = p[i]! * (1 - lr * wd);
        const gi = g[i]! + (kind === 'adam' ? wd * p[i]! : 0);
        m[i] = 0.9 * m[i]! + 0.1 * gi;
        v[i] = 0.999 * v[i]! + 0.001 * gi * gi;
        p[i] = p[i]! - (lr * (m[i]! / (1 - 0.9 ** (t + 1)))) / (Math.sqrt(v[i]! / (1 - 0.999 ** (t + 1))) + 1e-7);
      }
    }
  });
  return p;
}

for (const backend of ['wasm', 'cpu']) {
  test(`${backend}: SGD (Nesterov, L2), Adam (L2) and AdamW (decoupled) match a hand computation; scales and exclusions apply per variable`, async () => {
    await tf.setBackend(backend);
    const rng = createRng(21);
    const p0 = Array.from({ length: 9 }, () => rng.normal());
    const grads = Array.from({ length: 4 }, () => p0.map(() => rng.normal()));
    const cases: ['sgd' | 'nesterov' | 'adam' | 'adamw', (names: { scaled: string; kept: string }) => StepOptimizer][] = [
      ['sgd', (n) => optimizerFor('sgd', 0.1, { weightDecay: 0.05, lrScale: new Map([[n.scaled, 0.5]]), noDecay: new Set([n.kept]) })],
      ['nesterov', (n) => optimizerFor('sgd', 0.1, { weightDecay: 0.05, nesterov: true, lrScale: new Map([[n.scaled, 0.5]]), noDecay: new Set([n.kept]) })],
      ['adam', (n) => optimizerFor('adam', 0.01, { weightDecay: 0.05, lrScale: new Map([[n.scaled, 0.5]]), noDecay: new Set([n.kept]) })],
      ['adamw', (n) => optimizerFor('adamw', 0.01, { weightDecay: 0.05, lrScale: new Map([[n.scaled, 0.5]]), noDecay: new Set([n.kept]) })],
    ];
    for (const [kind, make] of cases) {
      const lr = kind === 'sgd' || kind === 'nesterov' ? 0.1 : 0.01;
      const scaled = tf.variable(tf.tensor1d(p0), true, `scaled-${kind}-${Math.random()}`);
      const kept = tf.variable(tf.tensor1d(p0), true, `kept-${kind}-${Math.random()}`);
      const opt = make({ scaled: scaled.name, kept: kept.name });
      for (const g of grads) {
        const gt = [tf.tensor1d(g), tf.tensor1d(g)];
        opt.applyGradients({ [scaled.name]: gt[0]!, [kept.name]: gt[1]! });
        tf.dispose(gt);
      }
      const expectScaled = reference(kind, lr * 0.5, 0.05, p0, grads);
      const expectKept = reference(kind, lr, 0, p0, grads);
      const [gotScaled, gotKept] = [scaled.dataSync(), kept.dataSync()];
      for (let i = 0; i < p0.length; i++) {
        assert.ok(Math.abs(gotScaled[i]! - expectScaled[i]!) < 1e-5, `${kind} scaled[${i}] ${gotScaled[i]} vs ${expectScaled[i]}`);
        assert.ok(Math.abs(gotKept[i]! - expectKept[i]!) < 1e-5, `${kind} kept[${i}] ${gotKept[i]} vs ${expectKept[i]}`);
      }
      // The decay and the scale change the result: a test that ignored them would fail here.
      assert.ok(Math.abs(expectScaled[0]! - expectKept[0]!) > 1e-3, kind);
      opt.dispose();
      tf.dispose([scaled, kept]);
    }
  });
}
