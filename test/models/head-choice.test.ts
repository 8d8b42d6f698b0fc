// Which head a fine-tune trains, decided in one place: kept, fresh at a cut (seeded), or started
// from the old classifier's rows under a class map.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import type { ResNetSpec } from '../../src/models/architectures/spec.js';
import { chooseHead } from '../../src/models/head-choice.js';
import { PIXELS_0_1, type Manifest } from '../../src/models/manifest.js';
import { InputError } from '../../src/errors.js';

await tf.setBackend('cpu');

const spec: ResNetSpec = {
  family: 'resnet', inputShape: [8, 8, 3], stem: { channels: 4, kernel: 3, stride: 1, maxPool: false },
  stages: [{ channels: 4, blocks: 1, stride: 1 }], numClasses: 3,
};
const manifest: Manifest = {
  format: 'calibra-model', version: 1, id: 'm', description: '', architecture: null, inputShape: spec.inputShape, preprocessing: PIXELS_0_1,
  classes: ['ant', 'bee', 'fly'], output: 'probabilities', augment: { flip: true, cropScale: [0.35, 1] }, groups: [], bnLayers: 0,
  recipe: {}, bnStatistics: 'x', lineage: { parent: null, dataset: null }, contentHash: '',
};
const model = buildArchitecture(spec);
const kernelOf = (m: tf.LayersModel) => Array.from(m.getLayer('head_logits').getWeights()[0]!.dataSync());
const inputError = (text: RegExp) => (e: Error) => e instanceof InputError && text.test(e.message);

test('data whose classes the model knows keeps the model and its head', async () => {
  const choice = await chooseHead(model, manifest, ['bee', 'ant'], { seed: 0 });
  assert.equal(choice.model, model);
  assert.deepEqual({ ...choice, model: null }, { model: null, classes: ['ant', 'bee', 'fly'], output: 'probabilities', newHead: false, created: null });
});

test('a class the model does not know, or a --cut, puts a fresh head on, drawn from the seed', async () => {
  const a = await chooseHead(model, manifest, ['ant', 'wasp'], { seed: 7 });
  assert.notEqual(a.model, model);
  assert.deepEqual({ classes: a.classes, output: a.output, newHead: a.newHead }, { classes: ['ant', 'wasp'], output: 'logits', newHead: true });
  assert.match(a.created!.note, /^new head: 2 classes \(ant, wasp\) after '/);
  const again = await chooseHead(model, manifest, ['ant', 'wasp'], { seed: 7 });
  const other = await chooseHead(model, manifest, ['ant', 'wasp'], { seed: 8 });
  assert.deepEqual(kernelOf(again.model), kernelOf(a.model), 'the same seed starts the same head');
  assert.notDeepEqual(kernelOf(other.model), kernelOf(a.model));
  const cut = await chooseHead(model, manifest, ['ant', 'bee'], { seed: 0, cut: 'block1_0_relu2' });
  assert.deepEqual([cut.newHead, cut.created?.note, cut.created?.after], [true, "new head: 2 classes (ant, bee) after 'block1_0_relu2'", 'block1_0_relu2']);
});

test('a class map starts the mapped classes from the old classifier\'s columns and the rest fresh', async () => {
  const choice = await chooseHead(model, manifest, ['honeybee', 'wasp'], { seed: 3, classMap: { honeybee: 'bee' } });
  assert.deepEqual({ classes: choice.classes, output: choice.output, newHead: choice.newHead }, { classes: ['honeybee', 'wasp'], output: 'logits', newHead: true });
  assert.equal(choice.created?.note, "new head: 2 classes from the classifier's rows honeybee←bee; fresh: wasp");
  assert.deepEqual(choice.created?.mapped, [{ newClass: 'honeybee', oldClass: 'bee' }]);
  // Kernels are [features, classes]: the new column 0 is the old column 1 (bee).
  const [oldKernel, newKernel] = [kernelOf(model), kernelOf(choice.model)];
  const features = oldKernel.length / 3;
  assert.deepEqual(Array.from({ length: features }, (_, f) => newKernel[2 * f]), Array.from({ length: features }, (_, f) => oldKernel[3 * f + 1]));
  await assert.rejects(chooseHead(model, manifest, ['honeybee'], { seed: 0, classMap: { honeybee: 'bee' }, cut: 'stem_relu' }), inputError(/^--class-map: .*drop --cut$/));
  await assert.rejects(chooseHead(model, manifest, ['wasp'], { seed: 0, classMap: { honeybee: 'bee' } }), inputError(/^--class-map: 'honeybee' is not a class folder of --data \(wasp\)$/));
});
