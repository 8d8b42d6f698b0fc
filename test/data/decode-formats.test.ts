import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { decodeImage, resolveDecodeArgs } from '../../src/data/decode.js';
import { assertNear, ensureParent, imageOf, makeTempDir, pixelAt, rawPixels } from './fixtures.js';

// Each format decodes to RGB uint8 HWC with the colours it holds. Sizes match the source, so
// resampling adds nothing and values can be checked closely.

let dir: string;
let remove: () => Promise<void>;
before(async () => ({ dir, remove } = await makeTempDir()));
after(() => remove());

const at = async (name: string): Promise<string> => ensureParent(join(dir, name));
const decodeAt = (path: string, height: number, width = height): Promise<Uint8Array> =>
  decodeImage(path, resolveDecodeArgs({ size: [height, width] }));

test('PNG: exact pixels, [height, width] output', async () => {
  const path = await at('rgb.png');
  await imageOf(6, 4, (x, y) => [x * 40, y * 60, 7]).png().toFile(path);
  const data = await decodeAt(path, 4, 6);
  assert.equal(data.length, 4 * 6 * 3);
  assert.deepEqual(pixelAt(data, 6, 5, 3), [200, 180, 7]);
  assert.deepEqual(pixelAt(data, 6, 0, 0), [0, 0, 7]);
});

test('EXIF orientation 6 is applied: the top-left corner ends up top-right', async () => {
  const path = await at('rotated.jpg');
  // Stored 32 wide, 16 high, red in the stored top-left 8x8; orientation 6 = rotate 90° clockwise.
  await imageOf(32, 16, (x, y) => (x < 8 && y < 8 ? [255, 0, 0] : [0, 0, 0]))
    .jpeg({ quality: 100 })
    .withMetadata({ orientation: 6 })
    .toFile(path);
  assert.equal((await sharp(path).metadata()).orientation, 6);
  const data = await decodeAt(path, 32, 16);
  assertNear(pixelAt(data, 16, 12, 3), [255, 0, 0], 12, 'top-right');
  assertNear(pixelAt(data, 16, 3, 3), [0, 0, 0], 12, 'top-left');
  assertNear(pixelAt(data, 16, 12, 28), [0, 0, 0], 12, 'bottom-right');
});

test('16-bit PNG maps to the matching 8-bit value', async () => {
  const path = await at('deep.png');
  const values = [65535, 32896, 16384, 0];
  const px = new Uint16Array(4 * 3);
  values.forEach((v, i) => px.fill(v, i * 3, i * 3 + 3));
  // A Uint16Array input is what tells sharp the raw samples are 16-bit.
  await sharp(px, { raw: { width: 4, height: 1, channels: 3 } })
    .toColourspace('rgb16')
    .png()
    .toFile(path);
  assert.equal((await sharp(path).metadata()).depth, 'ushort');
  const data = await decodeAt(path, 1, 4);
  assert.deepEqual(
    [0, 1, 2, 3].map((x) => pixelAt(data, 4, x, 0)),
    [[255, 255, 255], [128, 128, 128], [64, 64, 64], [0, 0, 0]],
  );
});

test('grayscale becomes three equal channels', async () => {
  const path = await at('grey.png');
  await imageOf(4, 4, (x) => [x * 50], 1).toColourspace('b-w').png().toFile(path);
  assert.equal((await sharp(path).metadata()).channels, 1);
  const data = await decodeAt(path, 4);
  assert.deepEqual(pixelAt(data, 4, 3, 2), [150, 150, 150]);
});

test('alpha is flattened onto black, for RGBA and grey+alpha', async () => {
  const rgba = await at('rgba.png');
  await imageOf(4, 4, (x) => (x < 2 ? [200, 100, 50, 128] : [200, 100, 50, 255]), 4).png().toFile(rgba);
  const data = await decodeAt(rgba, 4);
  assertNear(pixelAt(data, 4, 0, 0), [100, 50, 25], 1, 'half transparent');
  assert.deepEqual(pixelAt(data, 4, 3, 0), [200, 100, 50]);

  const greyAlpha = await at('grey-alpha.png');
  await imageOf(4, 4, () => [200, 0], 2).toColourspace('b-w').png().toFile(greyAlpha);
  assert.equal((await sharp(greyAlpha).metadata()).channels, 2);
  assert.deepEqual(pixelAt(await decodeAt(greyAlpha, 4), 4, 1, 1), [0, 0, 0]);
});

test('CMYK JPEG is converted to sRGB', async () => {
  const path = await at('cmyk.jpg');
  await imageOf(16, 16, () => [255, 0, 0]).toColourspace('cmyk').jpeg({ quality: 100 }).toFile(path);
  const meta = await sharp(path).metadata();
  assert.equal(meta.space, 'cmyk');
  assert.equal(meta.channels, 4);
  const [r, g, b] = pixelAt(await decodeAt(path, 16), 16, 8, 8);
  assert.ok(r! > 200 && g! < 40 && b! < 60, `red came back as ${[r, g, b].join(',')}`);
});

test('animated GIF and WebP: the first frame only', async () => {
  // Two 8x8 frames stacked: red, then blue.
  const frames = rawPixels(8, 16, (_, y) => (y < 8 ? [255, 0, 0] : [0, 0, 255]));
  const raw = { raw: { width: 8, height: 16, channels: 3 as const, pageHeight: 8 } };
  const gif = await at('anim.gif');
  await sharp(frames, raw).gif().toFile(gif);
  const webp = await at('anim.webp');
  await sharp(frames, raw).webp({ lossless: true }).toFile(webp);
  for (const path of [gif, webp]) {
    assert.equal((await sharp(path).metadata()).pages, 2, path);
    const data = await decodeAt(path, 8);
    assertNear(pixelAt(data, 8, 4, 4), [255, 0, 0], 2, path);
    assertNear(pixelAt(data, 8, 0, 7), [255, 0, 0], 2, path);
  }
});

test('WebP and TIFF (.tif and .tiff) decode losslessly', async () => {
  const colour = (x: number, y: number): number[] => [x * 30, 255 - y * 30, 90];
  const webp = await at('still.webp');
  await imageOf(5, 3, colour).webp({ lossless: true }).toFile(webp);
  const tif = await at('a.tif');
  await imageOf(5, 3, colour).tiff({ compression: 'lzw' }).toFile(tif);
  const tiff = await at('b.TIFF');
  await imageOf(5, 3, colour).tiff({ compression: 'deflate' }).toFile(tiff);
  for (const path of [webp, tif, tiff]) {
    const data = await decodeAt(path, 3, 5);
    assert.deepEqual(pixelAt(data, 5, 4, 2), [120, 195, 90], path);
  }
});
