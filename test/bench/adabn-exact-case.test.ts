// The mnv2-tm-adabn-exact bench case's Calibra side, on a tiny architecture and a synthetic
// folder: the pixels it hands PyTorch are the folder's images in the order it reads them, and
// the statistics it times are, layer by layer, the two-pass population mean and variance of each
// BN layer's input with every BN layer upstream already recalibrated, computed here directly.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { tf } from '../../src/engine/tf.js';
import type { BenchCase } from '../../src/bench/cases.js';
import { exportRecalibrationPixels, prepareRecalibration, timedExactRecalibration } from '../../src/bench/run-recalibrate.js';
import { isBatchNorm } from '../../src/bn/batch-norm-layer.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import type { ResNetSpec } from '../../src/models/architectures/spec.js';
import { leafLayers } from '../../src/models/layer-walk.js';
import { buildManifest } from '../../src/models/manifest-builder.js';
import { PIXELS_MINUS1_1 } from '../../src/models/manifest.js';
import { loadModel, saveModel } from '../../src/models/model-io.js';
import { createRng } from '../../src/util/rng.js';

await tf.setBackend('cpu');

const SIZE = 12;
const spec: ResNetSpec = {
  family: 'resnet', inputShape: [SIZE, SIZE, 3], stem: { channels: 4, kernel: 3, stride: 1, maxPool: false },
  stages: [{ channels: 4, blocks: 1, stride: 1 }, { channels: 8, blocks: 1, stride: 2 }], numClasses: 2,
};

/** Ten PNGs at the model's size (so decoding is lossless and unresized), nested in two folders. */
async function syntheticFolder(root: string): Promise<Uint8Array[]> {
  const rng = createRng(3);
  const written: Uint8Array[] = [];
  for (const [folder, count] of [['ants', 6], ['bees', 4]] as const) {
    await mkdir(join(root, folder));
    for (let i = 0; i < count; i++) {
      const base = rng.int(200);
      const pixels = Uint8Array.from({ length: SIZE * SIZE * 3 }, () => base + rng.int(56));
      await sharp(pixels, { raw: { width: SIZE, height: SIZE, channels: 3 } }).png().toFile(join(root, folder, `${i}.png`));
      written.push(pixels);
    }
  }
  return written;
}

/** Two passes in float64 over a channels-last block: the mean, then squared deviations from it. */
function twoPass(values: Float32Array, channels: number): { mean: number[]; variance: number[]; count: number } {
  const count = values.length / channels;
  const mean = new Array<number>(channels).fill(0);
  for (let i = 0; i < values.length; i++) mean[i % channels]! += values[i]!;
  for (let c = 0; c < channels; c++) mean[c]! /= count;
  const ss = new Array<number>(channels).fill(0);
  for (let i = 0; i < values.length; i++) ss[i % channels]! += (values[i]! - mean[i % channels]!) ** 2;
  return { mean, variance: ss.map((s) => s / (count - 1)), count };
}

test('the exact-recalibration case hands PyTorch its images and times the exact per-layer statistics', async () => {
  const work = await mkdtemp(join(tmpdir(), 'calibra-adabn-case-'));
  try {
    const images = join(work, 'images');
    await mkdir(images);
    const written = await syntheticFolder(images);
    const modelDir = join(work, 'model');
    const built = buildArchitecture(spec);
    await saveModel(built, buildManifest(built, {
      id: 'tiny', description: 'test', architecture: { ...spec }, inputShape: spec.inputShape, preprocessing: PIXELS_MINUS1_1,
      classes: ['a', 'b'], output: 'logits', augment: { flip: false, cropScale: [1, 1] }, recipe: {}, bnStatistics: 'init',
      lineage: { parent: null, dataset: null },
    }), modelDir);
    built.dispose();
    const c: BenchCase = {
      name: 'tiny-adabn-exact', description: 'test', spec, batch: 4, mode: 'recalibrate-exact', freeze: { kind: 'none' },
      recalibrate: { model: modelDir, images },
    };

    const exported = await exportRecalibrationPixels(c);
    assert.equal(exported.n, 10);
    assert.deepEqual(new Uint8Array(await readFile(exported.pixels)), new Uint8Array(Buffer.concat(written)), 'the pixels written, ants/0…5 then bees/0…3');
    await rm(exported.dir, { recursive: true, force: true });

    // Batches of 4, 4 and 2: the merge across unequal batches is part of what is checked.
    const job = await prepareRecalibration(c);
    const { result } = await timedExactRecalibration(job);
    job.model.dispose();
    assert.equal(result.images, 10);

    const { model } = await loadModel(modelDir);
    const bns = leafLayers(model).filter(isBatchNorm);
    assert.deepEqual(result.layers.map((l) => l.name), bns.map((l) => l.name));
    assert.equal(bns.length, 6);
    const x = tf.tensor4d(Float32Array.from(Buffer.concat(written), (p) => p * (2 / 255) - 1), [10, SIZE, SIZE, 3]);
    bns.forEach((bn, l) => {
      const upTo = tf.model({ inputs: model.inputs, outputs: bn.input as tf.SymbolicTensor });
      const input = upTo.predict(x) as tf.Tensor4D;
      const direct = twoPass(input.dataSync() as Float32Array, input.shape[3]);
      input.dispose();
      const got = result.layers[l]!;
      assert.equal(got.count, direct.count, `${bn.name}: values per channel`);
      direct.mean.forEach((m, ch) => {
        const sd = Math.sqrt(direct.variance[ch]!);
        assert.ok(Math.abs(got.mean[ch]! - m) <= 1e-5 * Math.max(Math.abs(m), sd), `${bn.name} channel ${ch}: mean ${got.mean[ch]} vs ${m}`);
        assert.ok(Math.abs(got.variance[ch]! - direct.variance[ch]!) <= 1e-5 * direct.variance[ch]!, `${bn.name} channel ${ch}: variance ${got.variance[ch]} vs ${direct.variance[ch]}`);
      });
      // Downstream layers are measured on inputs this layer normalises with its new statistics.
      bn.setMovingStatistics(direct.mean, direct.variance);
    });
    x.dispose();
    model.dispose();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
