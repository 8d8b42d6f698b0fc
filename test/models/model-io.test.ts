import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/engine/tf.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import { mobilenetV2Imagenet, type ResNetSpec } from '../../src/models/architectures/spec.js';
import { loadModel, saveModel } from '../../src/models/model-io.js';
import { buildManifest, countBatchNorm, modelGroups } from '../../src/models/manifest-builder.js';
import { replaceHead } from '../../src/models/head.js';
import { leafLayers } from '../../src/models/layer-walk.js';
import { PIXELS_0_1, type Manifest } from '../../src/models/manifest.js';
import { InputError } from '../../src/errors.js';

await tf.setBackend('cpu');
import { TM_MOBILENET as TM } from '../helpers/assets.js';

const tinyResNet: ResNetSpec = {
  family: 'resnet', inputShape: [12, 12, 3], stem: { channels: 4, kernel: 3, stride: 1, maxPool: false },
  stages: [{ channels: 4, blocks: 1, stride: 1 }, { channels: 8, blocks: 1, stride: 2 }], numClasses: 3,
};

function manifestFor(model: tf.LayersModel, spec: ResNetSpec): Omit<Manifest, 'contentHash'> {
  return buildManifest(model, {
    id: 'tiny', description: 'test', architecture: { ...spec },
    inputShape: spec.inputShape, preprocessing: PIXELS_0_1, classes: ['a', 'b', 'c'], output: 'logits', augment: { flip: true, cropScale: [0.35, 1] },
    recipe: {}, bnStatistics: 'init', lineage: { parent: null, dataset: null },
  });
}

test('a saved model loads back with the same predictions and its manifest', async () => {
  const model = buildArchitecture(tinyResNet);
  const dir = join(await mkdtemp(join(tmpdir(), 'calibra-io-')), 'out');
  const saved = await saveModel(model, manifestFor(model, tinyResNet), dir);
  assert.match(saved.contentHash, /^[0-9a-f]{16}$/);
  const { model: back, manifest } = await loadModel(dir);
  assert.deepEqual(manifest, saved);
  assert.deepEqual(manifest.groups.map((g) => g.name), ['stem', 'block1', 'block2', 'head']);
  assert.equal(manifest.bnLayers, 6, "stem 1, block1 2, block2 2 + downsample 1");
  const x = tf.randomUniform([2, 12, 12, 3]);
  const a = (model.predict(x) as tf.Tensor).dataSync(), b = (back.predict(x) as tf.Tensor).dataSync();
  assert.deepEqual(Array.from(a), Array.from(b));
  assert.deepEqual((await readdir(dir)).sort(), ['manifest.json', 'model.json', 'weights.bin']);
});

test('a save that fails midway leaves the previous model untouched', async () => {
  const model = buildArchitecture(tinyResNet);
  const dir = join(await mkdtemp(join(tmpdir(), 'calibra-io-')), 'out');
  await saveModel(model, manifestFor(model, tinyResNet), dir);
  const before = await readFile(join(dir, 'weights.bin'));
  const bad = { ...manifestFor(model, tinyResNet), recipe: { cycle: null as unknown } };
  (bad.recipe as { cycle: unknown }).cycle = bad.recipe;
  await assert.rejects(saveModel(model, bad, dir));
  assert.deepEqual(await readFile(join(dir, 'weights.bin')), before);
  assert.deepEqual((await readdir(join(dir, '..'))).filter((n) => n.startsWith('.')), [], 'no partial folder left behind');
});

test('loading a missing model is an InputError naming it', async () => {
  await assert.rejects(loadModel('/nonexistent/model'), (e: Error) => e instanceof InputError && e.message.includes('/nonexistent/model'));
});

test('the nested Teachable Machine MobileNetV2 exposes all 52 BN layers and takes a new head', async () => {
  const { model, manifest } = await loadModel(TM);
  assert.equal(countBatchNorm(model), 52);
  assert.equal(manifest.output, 'probabilities');
  assert.deepEqual(manifest.preprocessing.offset, [-1, -1, -1]);
  assert.equal(manifest.classes.length, 18);
  const retargeted = replaceHead(model, 2);
  assert.deepEqual(retargeted.outputs[0]!.shape, [null, 2]);
  assert.equal(countBatchNorm(retargeted), 52);
  const names = leafLayers(retargeted).map((l) => l.name);
  assert.ok(names.includes('out_relu') && names.at(-1) === 'head_logits');
  // A new head is drawn from the run's seed: the same seed gives the same head, another does not.
  const kernelOf = (m: typeof model) => leafLayers(m).at(-1)!.getWeights()[0]!.dataSync();
  const [a, b, c] = [replaceHead(model, 2, undefined, 7), replaceHead(model, 2, undefined, 7), replaceHead(model, 2, undefined, 8)].map(kernelOf);
  assert.deepEqual(Array.from(a!), Array.from(b!));
  assert.notDeepEqual(Array.from(a!), Array.from(c!));
});

test('the MobileNetV2 builder matches the ImageNet network at α=0.35', () => {
  const model = buildArchitecture(mobilenetV2Imagenet(0.35, 224, 18));
  assert.equal(countBatchNorm(model), 52);
  assert.deepEqual(modelGroups(model).map((g) => g.name), ['stem', 'block1', 'block2', 'block3', 'block4', 'block5', 'block6', 'block7', 'head']);
});
