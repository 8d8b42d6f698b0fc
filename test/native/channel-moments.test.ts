// AdaBN's exact statistics on the native engine: moments computed in the wasm heap equal the
// JS two-pass computation over the values read back, and a whole exact recalibration gives the
// same statistics as on the cpu backend with the cache held on the backend.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { nativeChannelMoments } from '../../src/engine/native/channel-moments.js';
import { channelMoments } from '../../src/bn/channel-moments.js';
import { adaBn, type InputSource } from '../../src/bn/adabn.js';
import { isBatchNorm, type CalibraBatchNorm } from '../../src/bn/batch-norm-layer.js';
import { leafLayers } from '../../src/models/layer-walk.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import { digitsResNetSpec } from '../../src/models/architectures/digits.js';
import { createRng } from '../../src/util/rng.js';
import { randomValues, setUpNative } from './harness.js';

const skip = await setUpNative();

function assertRelClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]!));
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol * scale, `${what}[${i}]: ${actual[i]} against ${expected[i]}`);
  }
}

test('moments in the wasm heap equal the two-pass JS computation, far from zero too', { skip }, () => {
  // A large common offset: a one-pass Σx² − n·mean² would lose most digits of m2 here.
  const values = randomValues(createRng(3), [7, 9, 5, 6], 0.01, 1000);
  const t = tf.tensor4d(values, [7, 9, 5, 6]);
  const native = nativeChannelMoments(t, 6)!;
  const js = channelMoments(t.dataSync() as Float32Array, 6);
  assert.equal(native.count, 7 * 9 * 5);
  assertRelClose(native.mean, js.mean, 1e-13, 'mean');
  assertRelClose(native.m2, js.m2, 1e-9, 'm2');
  assert.ok(js.m2[0]! > 0.01 && js.m2[0]! < 0.05, 'the spread survives the offset');
  t.dispose();
});

test('off the native engine there are no heap moments to take', { skip }, async () => {
  await tf.setBackend('cpu');
  try {
    const t = tf.ones([2, 3]);
    assert.equal(nativeChannelMoments(t, 3), undefined);
    t.dispose();
  } finally {
    await tf.setBackend('wasm');
  }
});

const bns = (model: tf.LayersModel): CalibraBatchNorm[] => leafLayers(model).filter(isBatchNorm);

const spec = { ...digitsResNetSpec(), numClasses: 3 };
/** One set of weights for both backends (a fresh build draws new ones). */
const weights = skip ? [] : (() => {
  const model = buildArchitecture(spec);
  const values = model.getWeights().map((w) => ({ shape: w.shape, data: w.dataSync().slice() }));
  model.dispose();
  return values;
})();

async function exactStatistics(backend: string): Promise<{ mean: Float32Array; variance: Float32Array }[]> {
  await tf.setBackend(backend);
  const model = buildArchitecture(spec);
  const values = weights.map((w) => tf.tensor(w.data, w.shape));
  model.setWeights(values);
  tf.dispose(values);
  const [h, w, c] = spec.inputShape;
  const all = randomValues(createRng(11), [10, h, w, c], 0.5, 0.3);
  const source: InputSource = async function* () {
    for (let i = 0; i < 10; i += 4) {
      const n = Math.min(4, 10 - i);
      yield tf.tensor4d(all.subarray(i * h * w * c, (i + n) * h * w * c), [n, h, w, c]);
    }
  };
  const before = tf.memory().numTensors;
  await adaBn({ model, layers: bns(model), source, mode: 'exact', expectedImages: 10 });
  assert.equal(tf.memory().numTensors, before, `${backend}: the activation cache is released`);
  const stats = bns(model).map((l) => ({ mean: l.movingMean.read().dataSync() as Float32Array, variance: l.movingVariance.read().dataSync() as Float32Array }));
  model.dispose();
  return stats;
}

test('an exact recalibration on the native engine matches the cpu backend layer by layer', { skip }, async () => {
  const cpu = await exactStatistics('cpu');
  const native = await exactStatistics('wasm');
  assert.equal(native.length, cpu.length);
  assert.ok(cpu.length >= 9);
  native.forEach((n, i) => {
    assertRelClose(n.mean, cpu[i]!.mean, 1e-4, `layer ${i} mean`);
    assertRelClose(n.variance, cpu[i]!.variance, 1e-4, `layer ${i} variance`);
  });
});
