import test from 'node:test';
import assert from 'node:assert/strict';
import { calibra } from '../helpers/cli.js';
import { DARKNET_TINY, TM_MOBILENET } from '../helpers/assets.js';

test('models show --json on darknet-tiny: the contract fields, its stages and its recognised preprocessing', async () => {
  const r = await calibra(['models', 'show', DARKNET_TINY, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = r.json as Record<string, any>;
  for (const key of ['layers', 'groups', 'bnLayers', 'inputShape', 'preprocessing', 'classes', 'preprocessingSource', 'output']) assert.ok(key in j, key);
  assert.equal(j.bnLayers, 15);
  assert.deepEqual(j.inputShape, [224, 224, 3]);
  assert.equal(j.preprocessingSource, 'architecture');
  assert.deepEqual(j.preprocessing.offset, [0, 0, 0]);
  assert.equal(j.output, 'logits');
  assert.equal(j.classes.length, 1000);
  assert.equal(j.classes[223], 'ant');
  assert.deepEqual(j.groups.map((g: { name: string }) => g.name), ['stem', 'block1', 'block2', 'block3', 'block4', 'head']);
  const conv16 = j.layers.find((l: { name: string }) => l.name === 'conv2d_16');
  assert.deepEqual(conv16, { name: 'conv2d_16', type: 'Conv2D', outputShape: [null, 14, 14, 1000], params: 129000, group: 'head' });
  assert.equal(j.layers.reduce((s: number, l: { params: number }) => s + l.params, 0), 1046488);
});

test('models show on the Teachable Machine model: readable at 80 columns, metadata as the source', async () => {
  const r = await calibra(['models', 'show', TM_MOBILENET]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const wide = lines.filter((l) => l.length > 80 && !l.startsWith('path '));
  assert.deepEqual(wide, [], 'every line but the path fits 80 columns');
  assert.ok(lines.includes('preprocess   [-1,1] from Teachable Machine metadata'), lines.slice(0, 8).join('\n'));
  assert.ok(lines.some((l) => /^output {7}probabilities, 18 classes: A, B, C, /.test(l)));
  assert.ok(lines.some((l) => /^ {2}block1 +18 layers {2}block_1_expand … block_2_add$/.test(l)));
  assert.ok(lines.some((l) => /^layers {7}157, 540,108 parameters, 52 BatchNormalization$/.test(l)));
});

test('models show without a model, or with a missing one, is exit 2 naming it', async () => {
  const none = await calibra(['models', 'show']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /models show: give one model/);
  const missing = await calibra(['models', 'show', '/nonexistent/m']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /\/nonexistent\/m/);
});
