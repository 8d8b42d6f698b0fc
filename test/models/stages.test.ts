import test from 'node:test';
import assert from 'node:assert/strict';
import { groupLayers, inferGroups } from '../../src/models/groups.js';
import { resolutionStages, blockOf } from '../../src/models/stages.js';
import { findClassifier, headStart } from '../../src/models/classifier.js';
import type { LayerInfo } from '../../src/models/layer-info.js';

const L = (name: string, className: string, size: number | null, ch = 8, params?: number): LayerInfo =>
  ({ name, className, outputShape: size === null ? [null, ch] : [null, size, size, ch], params: params ?? (/Conv|Dense|Batch/.test(className) ? 10 : 0) });

/** An inverted-residual block as Keras MobileNetV2 names it; `stride` 2 pads and halves. */
function mbBlock(n: number, size: number, stride: 1 | 2): LayerInfo[] {
  const out = stride === 2 ? size / 2 : size;
  return [
    L(`block_${n}_expand`, 'Conv2D', size), L(`block_${n}_expand_BN`, 'BatchNormalization', size), L(`block_${n}_expand_relu`, 'ReLU', size),
    ...(stride === 2 ? [L(`block_${n}_pad`, 'ZeroPadding2D', size + 1)] : []),
    L(`block_${n}_depthwise`, 'DepthwiseConv2D', out), L(`block_${n}_depthwise_BN`, 'BatchNormalization', out),
    L(`block_${n}_project`, 'Conv2D', out), L(`block_${n}_project_BN`, 'BatchNormalization', out),
  ];
}

const firstLast = (groups: { name: string; layers: string[] }[]) => groups.map((g) => [g.name, g.layers[0], g.layers.at(-1)]);

test('blockOf reads Keras MobileNetV2 and ResNet block names, and nothing else', () => {
  assert.equal(blockOf('block_12_depthwise_BN'), 'block_12');
  assert.equal(blockOf('expanded_conv_project'), 'expanded_conv');
  assert.equal(blockOf('conv3_block4_2_conv'), 'conv3_block4');
  assert.equal(blockOf('conv2d_3'), null);
  assert.equal(blockOf('block1_0_conv'), null);
});

test('a stride inside a block starts the stage at the block, padding and expansion included', () => {
  const body = [
    L('Conv1_pad', 'ZeroPadding2D', 33), L('Conv1', 'Conv2D', 16), L('bn_Conv1', 'BatchNormalization', 16),
    L('expanded_conv_depthwise', 'DepthwiseConv2D', 16), L('expanded_conv_project', 'Conv2D', 16),
    ...mbBlock(1, 16, 2), ...mbBlock(2, 8, 1), ...mbBlock(3, 8, 2),
    L('Conv_1', 'Conv2D', 4), L('out_relu', 'ReLU', 4),
  ];
  assert.deepEqual(firstLast(resolutionStages(body)!), [
    ['stem', 'Conv1_pad', 'expanded_conv_project'],
    ['block1', 'block_1_expand', 'block_2_project_BN'],
    ['block2', 'block_3_expand', 'out_relu'],
  ]);
});

test('a downsampling pool ends its group; a 1×1 conv that classifies before pooling is the head', () => {
  const layers = [
    L('c1', 'Conv2D', 32), L('b1', 'BatchNormalization', 32), L('a1', 'LeakyReLU', 32), L('p1', 'MaxPooling2D', 16),
    L('c2', 'Conv2D', 16), L('a2', 'LeakyReLU', 16), L('p2', 'MaxPooling2D', 8),
    L('c3', 'Conv2D', 8), L('a3', 'LeakyReLU', 8),
    L('cls', 'Conv2D', 8, 5), L('gap', 'GlobalAveragePooling2D', null, 5),
  ];
  assert.equal(headStart(layers), 9);
  assert.deepEqual(findClassifier(layers), { index: 9, kind: 'conv-before-pooling' });
  assert.deepEqual(firstLast(groupLayers(layers)), [['stem', 'c1', 'p1'], ['block1', 'c2', 'p2'], ['block2', 'c3', 'a3'], ['head', 'cls', 'gap']]);
});

test('the conv before pooling is not the classifier when its channels are not the outputs or weights follow', () => {
  const features = [L('c1', 'Conv2D', 8, 16), L('r', 'ReLU', 8, 16), L('gap', 'GlobalAveragePooling2D', null, 16)];
  assert.equal(headStart([...features, L('fc', 'Dense', null, 5)]), 2, 'dense after the pooling: the head starts at the pooling');
  assert.deepEqual(findClassifier([...features, L('fc', 'Dense', null, 5)]), { index: 3, kind: 'dense' });
  assert.equal(headStart([...features.slice(0, 2), L('gap', 'GlobalAveragePooling2D', null, 16)]), 0, 'channels equal outputs here: conv classifies');
  assert.equal(headStart([L('c1', 'Conv2D', 8, 16), L('c2', 'Conv2D', 8, 12), L('gap', 'GlobalAveragePooling2D', null, 12)]), 1);
});

test('Keras ResNet: the strided first block of a stage starts its group; a pool after the stem ends the stem', () => {
  const block = (s: number, b: number, size: number) => [
    L(`conv${s}_block${b}_1_conv`, 'Conv2D', size), L(`conv${s}_block${b}_1_bn`, 'BatchNormalization', size),
    L(`conv${s}_block${b}_2_conv`, 'Conv2D', size), L(`conv${s}_block${b}_0_conv`, 'Conv2D', size),
    L(`conv${s}_block${b}_add`, 'Add', size), L(`conv${s}_block${b}_out`, 'ReLU', size),
  ];
  const body = [
    L('conv1_pad', 'ZeroPadding2D', 70), L('conv1_conv', 'Conv2D', 32), L('conv1_relu', 'ReLU', 32), L('pool1_pad', 'ZeroPadding2D', 34), L('pool1_pool', 'MaxPooling2D', 16),
    ...block(2, 1, 16), ...block(2, 2, 16), ...block(3, 1, 8), ...block(3, 2, 8),
  ];
  assert.deepEqual(firstLast(resolutionStages(body)!), [['stem', 'conv1_pad', 'pool1_pool'], ['block1', 'conv2_block1_1_conv', 'conv2_block2_out'], ['block2', 'conv3_block1_1_conv', 'conv3_block2_out']]);
});

test('without shapes or downsampling the even split remains the fallback', () => {
  const flat = [L('c0', 'Conv2D', 8), ...Array.from({ length: 8 }, (_, i) => L(`c${i + 1}`, 'Conv2D', 8)), L('gap', 'GlobalAveragePooling2D', null, 8), L('fc', 'Dense', null, 3)];
  assert.equal(resolutionStages(flat.slice(0, 9)), null);
  assert.deepEqual(groupLayers(flat), inferGroups(flat));
  assert.deepEqual(groupLayers(flat).map((g) => g.name), ['stem', 'block1', 'block2', 'block3', 'block4', 'head']);
});

test('a downsampling before any convolution stays in the stem', () => {
  const body = [L('p0', 'MaxPooling2D', 32), L('p1', 'MaxPooling2D', 16), L('c1', 'Conv2D', 16), L('p2', 'MaxPooling2D', 8), L('c2', 'Conv2D', 8)];
  assert.deepEqual(firstLast(resolutionStages(body)!), [['stem', 'p0', 'p2'], ['block1', 'c2', 'c2']]);
});
