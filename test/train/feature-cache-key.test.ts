import test from 'node:test';
import assert from 'node:assert/strict';
import { featureCacheKey, type FeatureCacheParts } from '../../src/train/feature-cache/key.js';
import { PIXELS_0_1, PIXELS_MINUS1_1 } from '../../src/models/manifest.js';

const base: FeatureCacheParts = {
  backbone: 'aaaa', cut: 'head_pool', images: 'bbbb', preprocessing: PIXELS_0_1, inputShape: [32, 32, 3], augment: { kind: 'none' },
};

test('the same parts give the same key, whatever object holds them', () => {
  assert.equal(featureCacheKey(base), featureCacheKey(JSON.parse(JSON.stringify(base))));
  assert.match(featureCacheKey(base), /^[0-9a-f]{24}$/);
});

test('each part on its own changes the key', () => {
  const views = { kind: 'views', views: 5, seed: 0, flip: true, cropScale: [0.35, 1] } as const;
  const variants: FeatureCacheParts[] = [
    { ...base, backbone: 'aaab' },
    { ...base, cut: 'block3_0_relu2' },
    { ...base, images: 'bbbc' },
    { ...base, preprocessing: PIXELS_MINUS1_1 },
    { ...base, preprocessing: { ...PIXELS_0_1, resize: 'center-crop' } },
    { ...base, inputShape: [64, 64, 3] },
    { ...base, augment: views },
    { ...base, augment: { ...views, views: 4 } },
    { ...base, augment: { ...views, seed: 1 } },
    { ...base, augment: { ...views, flip: false } },
    { ...base, augment: { ...views, cropScale: [0.5, 1] } },
  ];
  const keys = new Set([base, ...variants].map(featureCacheKey));
  assert.equal(keys.size, variants.length + 1);
});
