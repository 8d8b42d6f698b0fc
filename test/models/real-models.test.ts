// Groups, preprocessing and class-map heads on the two real exported models in shared/assets.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { loadModel } from '../../src/models/model-io.js';
import { defaultCut, headFromClassifier, replaceHead } from '../../src/models/head.js';
import { resolveClassMap } from '../../src/models/class-map.js';
import { applyStrategy } from '../../src/train/strategy.js';
import { modelGroups } from '../../src/models/manifest-builder.js';
import { manifestPreprocessingNote } from '../../src/models/preprocessing.js';
import { DARKNET_TINY, TM_MOBILENET } from '../helpers/assets.js';

await tf.setBackend('cpu');

const firstLast = (groups: { name: string; layers: string[] }[]) => groups.map((g) => [g.name, g.layers[0], g.layers.at(-1)]);

test('MobileNetV2 groups follow its resolution stages and block boundaries', async () => {
  const { model, manifest } = await loadModel(TM_MOBILENET);
  assert.deepEqual(firstLast(manifest.groups), [
    ['stem', 'Conv1_pad', 'expanded_conv_project_BN'],
    ['block1', 'block_1_expand', 'block_2_add'],
    ['block2', 'block_3_expand', 'block_5_add'],
    ['block3', 'block_6_expand', 'block_12_add'],
    ['block4', 'block_13_expand', 'out_relu'],
    ['head', 'global_average_pooling2d_GlobalAveragePooling2D3', 'dense_Dense6'],
  ]);
  assert.ok(manifest.groups[4]!.layers.includes('Conv_1') && manifest.groups[4]!.layers.includes('block_16_project_BN'));
  assert.equal(manifest.groups.flatMap((g) => g.layers).length, 157, 'every layer in exactly one group');
  assert.equal(manifest.preprocessingSource, 'metadata');
  assert.deepEqual(manifest.architecture, { recognised: 'keras-mobilenet-v2' });
  assert.equal(manifestPreprocessingNote(manifest), 'preprocessing: [-1,1] from Teachable Machine metadata');
  model.dispose();
});

test('darknet-tiny: conv/BN/LeakyReLU/maxpool stages, and the 1×1 classifier conv is the head', async () => {
  const { model, manifest } = await loadModel(DARKNET_TINY);
  assert.deepEqual(firstLast(manifest.groups), [
    ['stem', 'conv2d_1', 'max_pooling2d_1'],
    ['block1', 'conv2d_2', 'max_pooling2d_2'],
    ['block2', 'conv2d_3', 'max_pooling2d_3'],
    ['block3', 'conv2d_7', 'max_pooling2d_4'],
    ['block4', 'conv2d_11', 'leaky_re_lu_15'],
    ['head', 'conv2d_16', 'global_average_pooling2d_1'],
  ]);
  assert.deepEqual(manifest.preprocessing.scale, [1 / 255, 1 / 255, 1 / 255]);
  assert.deepEqual(manifest.preprocessing.offset, [0, 0, 0]);
  assert.equal(manifest.preprocessingSource, 'architecture');
  assert.equal(manifestPreprocessingNote(manifest), 'preprocessing: [0,1] from the recognised architecture (darknet)');

  const strategy = applyStrategy(model, manifest.groups, { freeze: { kind: 'backbone' }, bnStats: 'freeze', bnAffine: 'freeze' });
  assert.equal(strategy.trainableParams, 128 * 1000 + 1000, '--freeze backbone trains the classifier conv, not just the pooling');

  assert.equal(defaultCut(model), 'leaky_re_lu_15');
  const retargeted = replaceHead(model, 2);
  const head = retargeted.getLayer('head_logits');
  assert.deepEqual(head.getWeights()[0]!.shape, [128, 2], 'the new head reads the 128 features, not the 1000 pooled logits');
  assert.equal(modelGroups(retargeted).at(-1)!.layers.join(','), 'head_pool,head_logits');
});

test('a class-map head on darknet equals the old logits of the mapped classes (1×1 conv and pooling commute)', async () => {
  const { model, manifest } = await loadModel(DARKNET_TINY);
  const mapping = resolveClassMap([['ants', 'ant'], ['bees', 'bee']], manifest.classes);
  assert.deepEqual(mapping.map((m) => m.oldIndex), [223, 629]);
  const restricted = headFromClassifier(model, ['bees', 'ants'], mapping);
  const x = tf.randomUniform([2, 224, 224, 3], 0, 1, 'float32', 7);
  const full = (model.predict(x) as tf.Tensor2D).arraySync();
  const mine = (restricted.predict(x) as tf.Tensor2D).arraySync();
  for (let n = 0; n < 2; n++) {
    assert.ok(Math.abs(mine[n]![0]! - full[n]![629]!) < 1e-3, `bees: ${mine[n]![0]} vs ${full[n]![629]}`);
    assert.ok(Math.abs(mine[n]![1]! - full[n]![223]!) < 1e-3, `ants: ${mine[n]![1]} vs ${full[n]![223]}`);
  }
});

test('a class-map head on the Teachable Machine dense classifier keeps the logit differences of its softmax', async () => {
  const { model, manifest } = await loadModel(TM_MOBILENET);
  const mapping = resolveClassMap([['x', 'B'], ['y', 'M'], ['z', '0']], manifest.classes);
  assert.deepEqual(mapping.map((m) => m.oldIndex), [1, 11, 0]);
  const restricted = headFromClassifier(model, ['x', 'y', 'z', 'fresh'], mapping);
  const x = tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 3);
  const p = (model.predict(x) as tf.Tensor2D).arraySync()[0]!;
  const z = (restricted.predict(x) as tf.Tensor2D).arraySync()[0]!;
  // Softmax hides the logits up to a shared constant; their differences are log-ratios.
  assert.ok(Math.abs((z[0]! - z[1]!) - Math.log(p[1]! / p[11]!)) < 1e-3, `${z[0]! - z[1]!} vs ${Math.log(p[1]! / p[11]!)}`);
  assert.ok(Math.abs((z[2]! - z[0]!) - Math.log(p[0]! / p[1]!)) < 1e-3);
  assert.equal(z.length, 4);
});
