import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestSchema } from '../../src/models/manifest.js';
import { summariseModel } from '../../src/models/model-summary.js';
import { PRETRAINED_DIR } from '../../src/models/zoo.js';

const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(PRETRAINED_DIR, 'digits-resnet', 'manifest.json'), 'utf8')));

test('per group: BN layers, parameters and output elements per image of its layers', () => {
  const [stem, ...rest] = manifest.groups;
  const layers = [
    { name: stem!.layers[0]!, className: 'Conv2D', outputShape: [null, 8, 8, 4], params: 112 },
    { name: stem!.layers[1]!, className: 'BatchNormalization', outputShape: [null, 8, 8, 4], params: 16 },
  ];
  const s = summariseModel(manifest, layers, '/m/model.json');
  assert.deepEqual(s.groups[0], { name: 'stem', layers: stem!.layers, bnLayers: 1, params: 128, activations: 2 * 8 * 8 * 4 });
  // Layers the description lacks count nothing.
  assert.deepEqual(rest.map((g) => s.groups.find((x) => x.name === g.name)!.params), rest.map(() => 0));
  assert.equal(s.params, 128);
  assert.equal(s.bnLayers, manifest.bnLayers);
  assert.deepEqual(s.inputShape, manifest.inputShape);
  assert.equal(s.preprocessing, '[0,1]');
  assert.equal(s.preprocessingSource, 'the Calibra manifest');
  assert.equal(s.preprocessingGuessed, false);
});
