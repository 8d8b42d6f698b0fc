import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { decodeImage, resolveDecodeArgs } from '../../src/data/decode.js';
import { assertNear, imageOf, makeTempDir, pixelAt } from './fixtures.js';

// A 40x16 source in three vertical bands: blue | red (the middle half) | green.
const BLUE = [0, 0, 255];
const RED = [255, 0, 0];
const GREEN = [0, 255, 0];

let dir: string;
let remove: () => Promise<void>;
let bands: string;

before(async () => {
  ({ dir, remove } = await makeTempDir());
  bands = join(dir, 'bands.png');
  await imageOf(40, 16, (x) => (x < 10 ? BLUE : x < 30 ? RED : GREEN)).png().toFile(bands);
});
after(() => remove());

const row = (data: Uint8Array, width: number, y: number): number[][] =>
  Array.from({ length: width }, (_, x) => pixelAt(data, width, x, y));

test('squash stretches the whole frame into the target', async () => {
  const data = await decodeImage(bands, resolveDecodeArgs({ size: 8, mode: 'squash' }));
  assert.equal(data.length, 8 * 8 * 3);
  assertNear(pixelAt(data, 8, 0, 4), BLUE, 8, 'left');
  assertNear(pixelAt(data, 8, 4, 4), RED, 8, 'middle');
  assertNear(pixelAt(data, 8, 7, 4), GREEN, 8, 'right');
});

test('center-crop keeps the middle square, all red here', async () => {
  const data = await decodeImage(bands, resolveDecodeArgs({ size: 8, mode: 'center-crop' }));
  for (const y of [0, 4, 7]) {
    for (const [x, px] of row(data, 8, y).entries()) assertNear(px, RED, 8, `(${x}, ${y})`);
  }
});

test('letterbox pads above and below with the fill colour, black by default', async () => {
  // 40x16 fits a 10x10 target as 10x4, leaving three rows of padding on each side.
  const fill = [9, 99, 199] as const;
  const data = await decodeImage(bands, resolveDecodeArgs({ size: 10, mode: 'letterbox', fill }));
  for (const y of [0, 2, 7, 9]) {
    for (const px of row(data, 10, y)) assert.deepEqual(px, [...fill], `row ${y}`);
  }
  assertNear(pixelAt(data, 10, 0, 5), BLUE, 8, 'content left');
  assertNear(pixelAt(data, 10, 5, 5), RED, 8, 'content middle');
  assertNear(pixelAt(data, 10, 9, 5), GREEN, 8, 'content right');

  const black = await decodeImage(bands, resolveDecodeArgs({ size: 10, mode: 'letterbox' }));
  assert.deepEqual(pixelAt(black, 10, 4, 0), [0, 0, 0]);
});

test('non-square targets: [height, width]', async () => {
  const data = await decodeImage(bands, resolveDecodeArgs({ size: [4, 12], mode: 'center-crop' }));
  assert.equal(data.length, 4 * 12 * 3);
  assertNear(pixelAt(data, 12, 0, 2), BLUE, 8, 'left');
  assertNear(pixelAt(data, 12, 11, 2), GREEN, 8, 'right');
});

test('center-crop-0.875 covers the target divided by 0.875, then keeps its centre', async () => {
  // Each source pixel names its own position, so the output says where it was cut from. A 64x32
  // source covers 32x32 (28 / 0.875) at scale 1, from columns 16..47; the centre 28x28 of that
  // starts 2 further in: output (x, y) is source (x + 18, y + 2), with no resampling.
  const position = join(dir, 'position.png');
  await imageOf(64, 32, (x, y) => [x * 3, y * 7, 128]).png().toFile(position);
  const data = await decodeImage(position, resolveDecodeArgs({ size: 28, mode: 'center-crop-0.875' }));
  assert.equal(data.length, 28 * 28 * 3);
  for (const [x, y] of [[0, 0], [27, 0], [0, 27], [27, 27], [13, 14]] as const) {
    assertNear(pixelAt(data, 28, x, y), [(x + 18) * 3, (y + 2) * 7, 128], 1, `(${x}, ${y})`);
  }
  const plain = await decodeImage(position, resolveDecodeArgs({ size: 28, mode: 'center-crop' }));
  assert.notDeepEqual(pixelAt(plain, 28, 0, 0), pixelAt(data, 28, 0, 0), 'the plain centre crop keeps the full height');
});

test('bad sizes, modes and fills are InputErrors', () => {
  assert.throws(() => resolveDecodeArgs({ size: 0 }), InputError);
  assert.throws(() => resolveDecodeArgs({ size: [10, 2.5] }), InputError);
  assert.throws(() => resolveDecodeArgs({ size: 8, mode: 'stretch' as never }), /resize mode/);
  assert.throws(() => resolveDecodeArgs({ size: 8, fill: [0, 0, 256] }), /fill/);
  assert.deepEqual(resolveDecodeArgs({ size: 8 }), { height: 8, width: 8, mode: 'squash', fill: [0, 0, 0] });
});
