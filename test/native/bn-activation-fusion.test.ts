// Whole models with each BN layer fused with the ReLU or ReLU6 after it (the graph pass in
// src/models/bn-activation-fusion.ts, run by buildArchitecture and loadModel) compute what they
// compute unfused, on the native engine: one training step moves every weight and moving
// statistic alike, under batch and frozen statistics; the real Teachable Machine MobileNetV2
// predicts the same; and a model saved from a fused one loads in stock tfjs, with no Calibra
// class registered, and predicts the same there.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tf } from '../../src/engine/tf.js';
import { isBatchNorm, type CalibraBatchNorm } from '../../src/bn/batch-norm-layer.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import { digitsResNetSpec } from '../../src/models/architectures/digits.js';
import { mobilenetV2Imagenet, type ArchitectureSpec } from '../../src/models/architectures/spec.js';
import { leafLayers } from '../../src/models/layer-walk.js';
import { buildManifest } from '../../src/models/manifest-builder.js';
import { PIXELS_0_1 } from '../../src/models/manifest.js';
import { loadModel, saveModel } from '../../src/models/model-io.js';
import { crossEntropy } from '../../src/train/loss.js';
import { createRng } from '../../src/util/rng.js';
import { PACKAGE_ROOT } from '../../src/util/package-root.js';
import { TM_MOBILENET } from '../helpers/assets.js';
import { randomValues, setUpNative } from './harness.js';

const skip = await setUpNative();

const batchNorms = (model: tf.LayersModel): CalibraBatchNorm[] => leafLayers(model).filter(isBatchNorm);

/** Sets every BN layer's fusion, returning what it was, to put back. */
function setFusion(model: tf.LayersModel, fused: string[] | 'off'): string[] {
  const layers = batchNorms(model);
  const before = layers.map((l) => l.fusedActivation);
  layers.forEach((l, i) => { l.fusedActivation = fused === 'off' ? 'linear' : fused[i] as CalibraBatchNorm['fusedActivation']; });
  return before;
}

function seededWeights(model: tf.LayersModel, seed: number): tf.Tensor[] {
  const rng = createRng(seed);
  return model.weights.map((w) => {
    const shape = w.shape as number[];
    const variance = /moving_variance/.test(w.originalName);
    return tf.tensor(randomValues(rng, shape, variance ? 0.2 : 0.3, variance ? 1 : 0), shape);
  });
}

/** Every weight's change (moving statistics included) over one SGD step. */
function stepDeltas(model: tf.LayersModel, start: tf.Tensor[], x: tf.Tensor, labels: tf.Tensor1D, classes: number): Float32Array[] {
  model.setWeights(start);
  const before = model.weights.map((w) => w.read().dataSync().slice() as Float32Array);
  const optimizer = tf.train.sgd(0.5);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  tf.tidy(() => {
    const { grads } = tf.variableGrads(() => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, labels, classes, 'logits'), vars);
    optimizer.applyGradients(grads);
  });
  optimizer.dispose();
  return model.weights.map((w, i) => (w.read().dataSync() as Float32Array).map((v, j) => v - before[i]![j]!));
}

const specs: [string, ArchitectureSpec, number][] = [
  ['digits ResNet', { ...digitsResNetSpec(), numClasses: 3 }, 4],
  ['MobileNetV2 α=0.35, four stages', { ...mobilenetV2Imagenet(0.35, 32, 3), stages: mobilenetV2Imagenet(0.35, 32, 3).stages.slice(0, 4) }, 21],
];

for (const [name, spec, expectedFused] of specs) {
  test(`${name}: a training step fused moves every weight as one unfused (batch and frozen statistics)`, { skip }, async () => {
    await tf.setBackend('wasm');
    const model = buildArchitecture(spec);
    const fused = batchNorms(model).map((l) => l.fusedActivation);
    // ResNet: the stem's BN and each block's first; its others feed an Add. MobileNetV2: every
    // BN but the projections', which feed an Add or the next block.
    assert.equal(fused.filter((a) => a !== 'linear').length, expectedFused);
    const start = seededWeights(model, 11);
    const rng = createRng(12);
    const [h, w, c] = spec.inputShape;
    const x = tf.tensor4d(randomValues(rng, [4, h, w, c]), [4, h, w, c]);
    const labels = tf.tensor1d([0, 1, 2, 1], 'int32');
    for (const stats of ['update', 'freeze'] as const) {
      for (const bn of batchNorms(model)) bn.applyPolicy({ stats, affine: 'train' });
      setFusion(model, fused);
      const profile = await tf.profile(() => stepDeltas(model, start, x, labels, 3));
      const withFusion = profile.result as unknown as Float32Array[];
      const kernel = stats === 'update' ? 'CalibraBatchNormTrainRelu' : 'CalibraFusedBatchNormRelu';
      for (const k of [kernel, `${kernel}Grad`]) assert.ok(profile.kernelNames.includes(k), `${stats}: ${k} did not run`);
      // Every ReLU6 of the MobileNetV2 is fused; the ResNet's after each Add is not.
      assert.equal(profile.kernelNames.includes('Relu6'), false);
      setFusion(model, 'off');
      const without = stepDeltas(model, start, x, labels, 3);
      // Some deltas are rounding noise around an exact 0 (the beta of a BN whose output feeds a
      // convolution and then a BN on batch statistics, which removes any shift), so each weight's
      // own scale is floored by a share of the largest delta in the model.
      const largest = Math.max(...without.map((d) => Math.max(...d.map(Math.abs))));
      without.forEach((expected, i) => {
        const scale = Math.max(1e-2 * largest, ...expected.map(Math.abs));
        const worst = expected.reduce((m, v, j) => Math.max(m, Math.abs(v - withFusion[i]![j]!)), 0);
        assert.ok(worst <= 1e-3 * scale, `${stats}: ${model.weights[i]!.name}: deviation ${worst.toExponential(2)} against ${scale.toExponential(2)} (largest ${largest.toExponential(2)})`);
      });
      // Not a vacuous comparison: the step changed the weights (moving statistics only under update).
      assert.ok(without.some((d) => d.some((v) => v !== 0)));
    }
    model.dispose();
    tf.dispose([x, labels, ...start]);
  });
}

test('the Teachable Machine MobileNetV2 predicts the same fused and unfused', { skip }, async () => {
  await tf.setBackend('wasm');
  const { model } = await loadModel(TM_MOBILENET);
  const fused = batchNorms(model).map((l) => l.fusedActivation);
  assert.equal(fused.filter((a) => a === 'relu6').length, 35, 'every ReLU6 follows a BN layer');
  const x = tf.tensor4d(randomValues(createRng(3), [2, 224, 224, 3], 0.6), [2, 224, 224, 3]);
  const predict = (): Float32Array => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
  const withFusion = predict();
  setFusion(model, 'off');
  const without = predict();
  withFusion.forEach((v, i) => assert.ok(Math.abs(v - without[i]!) < 1e-5, `output ${i}: ${v} vs ${without[i]}`));
  model.dispose();
  x.dispose();
});

const execFileAsync = promisify(execFile);

/** Stock tfjs in a fresh process: loads dir/model.json and predicts the input in `inputPath`. */
const STOCK_PREDICT = `
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
const [dir, inputPath] = process.argv.slice(1);
const json = JSON.parse(readFileSync(dir + '/model.json', 'utf8'));
const weights = readFileSync(dir + '/weights.bin');
const model = await tf.loadLayersModel(tf.io.fromMemory({
  modelTopology: json.modelTopology,
  weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
  weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
}));
const input = JSON.parse(readFileSync(inputPath, 'utf8'));
const y = model.predict(tf.tensor(input.values, input.shape));
console.log(JSON.stringify({ classes: model.layers.map((l) => l.constructor.name), values: Array.from(y.dataSync()) }));
`;

test('a model saved from a fused one loads and predicts the same in stock tfjs', { skip }, async () => {
  await tf.setBackend('wasm');
  const spec = { ...digitsResNetSpec(), numClasses: 3 };
  const model = buildArchitecture(spec);
  model.setWeights(seededWeights(model, 21));
  const manifest = buildManifest(model, {
    id: 'fused', description: 'test', architecture: spec, inputShape: spec.inputShape, preprocessing: PIXELS_0_1,
    classes: ['a', 'b', 'c'], output: 'logits', augment: { flip: true, cropScale: [0.35, 1] }, recipe: {},
    bnStatistics: 'init', lineage: { parent: null, dataset: null },
  });
  const dir = join(await mkdtemp(join(tmpdir(), 'calibra-fused-')), 'model');
  await saveModel(model, manifest, dir);
  const topology = JSON.stringify(JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')).modelTopology);
  assert.equal(topology.match(/"class_name":"ReLU"/g)?.length, 7, 'every ReLU layer is saved');
  const shape = [2, ...spec.inputShape];
  const values = Array.from(randomValues(createRng(22), shape));
  const inputPath = join(dir, '..', 'input.json');
  await writeFile(inputPath, JSON.stringify({ shape, values }));
  const ours = tf.tidy(() => (model.predict(tf.tensor(values, shape)) as tf.Tensor).dataSync() as Float32Array);
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', STOCK_PREDICT, dir, inputPath], { cwd: PACKAGE_ROOT });
  const stock = JSON.parse(stdout.trim().split('\n').pop()!) as { classes: string[]; values: number[] };
  assert.ok(!stock.classes.some((c) => c.startsWith('Calibra')), `stock classes only: ${stock.classes.join(', ')}`);
  assert.equal(stock.values.length, ours.length);
  stock.values.forEach((v, i) => assert.ok(Math.abs(v - ours[i]!) < 1e-4, `output ${i}: stock ${v} vs ours ${ours[i]}`));
  model.dispose();
});
