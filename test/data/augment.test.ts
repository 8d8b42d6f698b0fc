import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AUGMENT_DEFAULTS,
  type HwcImage,
  augmentImage,
  colorJitter,
  cropResize,
  flipHorizontal,
  resolveAugmentArgs,
  sampleCropBox,
} from '../../src/data/augment.js';
import { createRng } from '../../src/util/rng.js';

// A 6x4 gradient: every pixel distinct, so any geometric change shows.
const W = 6;
const H = 4;
const gradient = (): HwcImage<Uint8Array> => {
  const data = new Uint8Array(H * W * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) data.set([x * 40, y * 60, 100], (y * W + x) * 3);
  }
  return { data, height: H, width: W };
};
const NO_JITTER = { brightness: 0, contrast: 0, saturation: 0 };

test('horizontal flip mirrors each row, for uint8 and float', () => {
  const img = gradient();
  const flipped = flipHorizontal(img);
  assert.deepEqual(Array.from(flipped.data.subarray(0, 3)), [200, 0, 100]);
  assert.deepEqual(Array.from(flipped.data.subarray((2 * W + 5) * 3, (2 * W + 6) * 3)), [0, 120, 100]);
  assert.deepEqual(flipHorizontal(flipped).data, img.data);
  const asFloat = flipHorizontal({ ...img, data: Float32Array.from(img.data) });
  assert.ok(asFloat.data instanceof Float32Array);
  assert.deepEqual(Array.from(asFloat.data), Array.from(flipped.data));
});

test('a crop of the whole frame resamples to the same image; a crop of a half stretches it', () => {
  const img = gradient();
  assert.deepEqual(cropResize(img, { top: 0, left: 0, height: H, width: W }).data, img.data);
  // The left 3 columns stretched to 6: columns go 0, 0.25.., so red ramps from 0 to 80.
  const left = cropResize({ ...img, data: Float32Array.from(img.data) }, { top: 0, left: 0, height: H, width: 3 });
  const reds = Array.from({ length: W }, (_, x) => left.data[x * 3]);
  assert.deepEqual(reds, [0, 10, 30, 50, 70, 80]);
});

test('crop boxes stay inside the image and within the scale and ratio ranges', () => {
  const rng = createRng(11);
  for (let i = 0; i < 500; i++) {
    const box = sampleCropBox(64, 96, rng, [0.2, 0.9], [0.75, 4 / 3]);
    assert.ok(box.top >= 0 && box.left >= 0 && box.top + box.height <= 64 && box.left + box.width <= 96);
    const share = (box.height * box.width) / (64 * 96);
    assert.ok(share > 0.18 && share < 0.93, `area share ${share}`);
    const aspect = box.width / box.height;
    assert.ok(aspect > 0.7 && aspect < 1.42, `aspect ${aspect}`);
  }
  // Nothing with aspect in [3, 4] fits 10x10 at this scale: the centred fallback.
  assert.deepEqual(sampleCropBox(10, 10, createRng(1), [0.9, 1], [3, 4]), { top: 3, left: 0, height: 3, width: 10 });
});

test('colour jitter: off is the identity; grey stays grey; values stay in 0..255', () => {
  const img = gradient();
  assert.equal(colorJitter(img, createRng(1), NO_JITTER), img);
  const grey: HwcImage<Uint8Array> = { data: new Uint8Array(12).fill(128), height: 2, width: 2 };
  const out = colorJitter(grey, createRng(2), { brightness: 0, contrast: 0.5, saturation: 0.9 });
  assert.deepEqual(out.data, grey.data);
  const bright = colorJitter({ ...img, data: Float32Array.from(img.data) }, createRng(3), {
    brightness: 5,
    contrast: 5,
    saturation: 5,
  });
  assert.ok(bright.data.every((v) => v >= 0 && v <= 255));
});

test('brightness scales every value by one factor', () => {
  const img: HwcImage<Float32Array> = { data: new Float32Array([10, 20, 40, 50, 60, 80]), height: 1, width: 2 };
  const out = colorJitter(img, createRng(4), { brightness: 0.3, contrast: 0, saturation: 0 });
  const factor = out.data[0]! / 10;
  assert.ok(factor >= 0.7 && factor <= 1.3 && factor !== 1);
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(out.data[i]! - img.data[i]! * factor) < 1e-3);
});

test('augmentation is deterministic per seed, different across seeds, and pure', () => {
  const img = gradient();
  const before = img.data.slice();
  const args = resolveAugmentArgs();
  const a = augmentImage(img, createRng(9), args);
  assert.deepEqual(augmentImage(img, createRng(9), args).data, a.data);
  assert.notDeepEqual(augmentImage(img, createRng(10), args).data, a.data);
  assert.deepEqual(img.data, before);
  assert.equal(a.height, H);
  assert.equal(a.width, W);
});

test('flip off never mirrors (digits); flip on mirrors about half the time', () => {
  const img = gradient();
  const still = resolveAugmentArgs({ flip: false, crop: false, ...NO_JITTER });
  const mirror = resolveAugmentArgs({ flip: true, crop: false, ...NO_JITTER });
  let flips = 0;
  for (let seed = 0; seed < 200; seed++) {
    assert.equal(augmentImage(img, createRng(seed), still).data, img.data);
    if (augmentImage(img, createRng(seed), mirror).data !== img.data) flips++;
  }
  assert.ok(flips > 70 && flips < 130, `flipped ${flips} of 200`);
});

test('defaults are filled in one place; undefined does not override; bad ranges throw', () => {
  assert.deepEqual(resolveAugmentArgs(), AUGMENT_DEFAULTS);
  assert.deepEqual(resolveAugmentArgs({ flip: undefined, brightness: 0 }), { ...AUGMENT_DEFAULTS, brightness: 0 });
  assert.throws(() => resolveAugmentArgs({ scale: [0, 1] }), /scale/);
  assert.throws(() => resolveAugmentArgs({ scale: [0.8, 0.5] }), /scale/);
  assert.throws(() => resolveAugmentArgs({ ratio: [2, 1] }), /ratio/);
  assert.throws(() => resolveAugmentArgs({ saturation: -1 }), /saturation/);
});
