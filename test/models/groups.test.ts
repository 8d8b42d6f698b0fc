import test from 'node:test';
import assert from 'node:assert/strict';
import { groupsFromNames, inferGroups, parseFreezeSpec, trainableGroups } from '../../src/models/groups.js';

const L = (name: string, className = 'Conv2D') => ({ name, className });

test('groupsFromNames groups Calibra layer names by prefix, in order', () => {
  const groups = groupsFromNames([L('stem_conv'), L('stem_bn', 'BatchNormalization'), L('block1_0_conv1'), L('block2_0_conv1'), L('head_pool', 'GlobalAveragePooling2D'), L('head_logits', 'Dense')]);
  assert.deepEqual(groups?.map((g) => [g.name, g.layers.length]), [['stem', 2], ['block1', 1], ['block2', 1], ['head', 2]]);
});

test('groupsFromNames refuses foreign names and interleaved groups', () => {
  assert.equal(groupsFromNames([L('conv2d_1')]), null);
  assert.equal(groupsFromNames([L('stem_a'), L('block1_a'), L('stem_b')]), null);
});

test('inferGroups splits a foreign chain into stem, equal blocks and head', () => {
  const layers = [L('c0'), L('b0', 'BatchNormalization'), ...Array.from({ length: 8 }, (_, i) => [L(`c${i + 1}`), L(`r${i + 1}`, 'ReLU')]).flat(), L('gap', 'GlobalAveragePooling2D'), L('fc', 'Dense')];
  const groups = inferGroups(layers, 4);
  assert.deepEqual(groups.map((g) => g.name), ['stem', 'block1', 'block2', 'block3', 'block4', 'head']);
  assert.deepEqual(groups[0]!.layers, ['c0', 'b0']);
  assert.deepEqual(groups[1]!.layers, ['c1', 'r1', 'c2', 'r2']);
  assert.deepEqual(groups[5]!.layers, ['gap', 'fc']);
  assert.equal(groups.flatMap((g) => g.layers).length, layers.length, 'every layer lands in exactly one group');
});

test('freeze specs select the groups that train', () => {
  const groups = ['stem', 'block1', 'block2', 'head'].map((name) => ({ name, layers: [] }));
  assert.deepEqual([...trainableGroups(groups, parseFreezeSpec('none')!)], ['stem', 'block1', 'block2', 'head']);
  assert.deepEqual([...trainableGroups(groups, parseFreezeSpec('backbone')!)], ['head']);
  assert.deepEqual([...trainableGroups(groups, parseFreezeSpec('last:2')!)], ['block2', 'head']);
  assert.deepEqual([...trainableGroups(groups, parseFreezeSpec('last:9')!)], ['stem', 'block1', 'block2', 'head']);
  assert.equal(parseFreezeSpec('last:0'), null);
  assert.equal(parseFreezeSpec('all'), null);
});
