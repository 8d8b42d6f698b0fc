// The one manifest builder: graph facts come from the model, the rest from what it is given, and
// a made model's manifest inherits its parent's and records the making.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import type { ResNetSpec } from '../../src/models/architectures/spec.js';
import { replaceHead } from '../../src/models/head.js';
import { leafLayers } from '../../src/models/layer-walk.js';
import { buildManifest, madeManifest } from '../../src/models/manifest-builder.js';
import { PIXELS_MINUS1_1, type Manifest } from '../../src/models/manifest.js';

await tf.setBackend('cpu');

const spec: ResNetSpec = {
  family: 'resnet', inputShape: [12, 12, 3], stem: { channels: 4, kernel: 3, stride: 1, maxPool: false },
  stages: [{ channels: 4, blocks: 1, stride: 1 }, { channels: 8, blocks: 1, stride: 2 }], numClasses: 3,
};

/** Counted from the layers' class names, not through the builder's own helpers. */
const bnCount = (model: tf.LayersModel) => leafLayers(model).filter((l) => l.getClassName() === 'BatchNormalization').length;

test('buildManifest reads the groups and BN layers from the model and keeps every given field', () => {
  const model = buildArchitecture(spec);
  const facts = {
    id: 'tiny', description: 'd', architecture: { family: 'resnet' }, inputShape: spec.inputShape, preprocessing: PIXELS_MINUS1_1,
    preprocessingSource: 'architecture' as const, classes: ['a', 'b', 'c'], output: 'logits' as const,
    augment: { flip: false, cropScale: [0.7, 1] as [number, number] }, recipe: { x: 1 }, bnStatistics: 'init', lineage: { parent: null, dataset: null },
  };
  const m = buildManifest(model, facts);
  assert.deepEqual({ ...m, groups: m.groups.map((g) => g.name) }, { format: 'calibra-model', version: 1, ...facts, groups: ['stem', 'block1', 'block2', 'head'], bnLayers: 6 });
  assert.equal(m.bnLayers, bnCount(model));
  model.dispose();
});

test('a made model\'s manifest inherits the parent\'s, records its making, drops the preprocessing source, and re-reads the graph', () => {
  const parentModel = buildArchitecture(spec);
  const model = replaceHead(parentModel, 2, undefined, 4);
  const parent: Manifest = {
    format: 'calibra-model', version: 1, id: 'parent', description: 'p', architecture: { family: 'resnet' }, inputShape: spec.inputShape,
    preprocessing: PIXELS_MINUS1_1, preprocessingSource: 'guess', classes: ['x', 'y'], output: 'logits', augment: { flip: false, cropScale: [0.5, 1] },
    // Stale on purpose: the made manifest must not copy them.
    groups: [{ name: 'old', layers: [] }], bnLayers: 0,
    recipe: { old: true }, bnStatistics: 'pretrain:x', lineage: { parent: null, dataset: null }, contentHash: '0123456789abcdef',
  };
  const made = madeManifest(model, parent, { out: '/tmp/runs/tuned/', description: 'tuned', recipe: { command: 'train' }, bnStatistics: 'fine-tune:h1', dataset: 'h1' });
  assert.deepEqual({ ...made, groups: made.groups.map((g) => g.name) }, {
    format: 'calibra-model', version: 1, id: 'tuned', description: 'tuned', architecture: { family: 'resnet' }, inputShape: spec.inputShape,
    preprocessing: PIXELS_MINUS1_1, classes: ['x', 'y'], output: 'logits', augment: { flip: false, cropScale: [0.5, 1] },
    groups: ['stem', 'block1', 'block2', 'head'], bnLayers: bnCount(model),
    recipe: { command: 'train' }, bnStatistics: 'fine-tune:h1', lineage: { parent: '0123456789abcdef', dataset: 'h1' },
  });
  assert.equal('preprocessingSource' in made, false);
  parentModel.dispose();
});
