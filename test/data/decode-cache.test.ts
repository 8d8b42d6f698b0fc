import assert from 'node:assert/strict';
import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BadFileReport } from '../../src/data/bad-files.js';
import { streamBatches } from '../../src/data/batches.js';
import { DecodeCache } from '../../src/data/decode-cache.js';
import { ImageLoader } from '../../src/data/load-image.js';
import { makeTempDir, writeSolidPng } from './fixtures.js';

let dir: string;
let remove: () => Promise<void>;
let files: string[];

before(async () => {
  ({ dir, remove } = await makeTempDir());
  files = await Promise.all([0, 1, 2, 3, 4].map((i) => writeSolidPng(join(dir, `${i}.png`), [i * 50, 1, 2])));
});
after(() => remove());

const pass = async (loader: ImageLoader, epoch: number): Promise<Float32Array[]> => {
  const xs: Float32Array[] = [];
  const items = files.map((path) => ({ path }));
  const stream = streamBatches(items, { batchSize: 2, loader, badFiles: new BadFileReport(), shuffle: true, epoch });
  for await (const batch of stream) xs.push(batch.x);
  return xs;
};

test('the second epoch is served from the cache, not decoded again', async () => {
  const loader = new ImageLoader({ size: 8 });
  await pass(loader, 0);
  assert.equal(loader.stats.decodes, 5);
  await pass(loader, 1);
  assert.equal(loader.stats.decodes, 5);
  assert.equal(loader.stats.cacheHits, 5);
  assert.equal(loader.cache?.stats.entries, 5);
  assert.equal(loader.cache?.stats.bytes, 5 * 8 * 8 * 3);
});

test('a budget smaller than the folder still works: it decodes again', async () => {
  const roomy = new ImageLoader({ size: 8 });
  const tight = new ImageLoader({ size: 8, cache: new DecodeCache({ maxBytes: 2 * 8 * 8 * 3 }) });
  for (const epoch of [0, 1]) assert.deepEqual(await pass(tight, epoch), await pass(roomy, epoch));
  assert.ok(tight.stats.decodes > 5, `decodes: ${tight.stats.decodes}`);
  assert.ok(tight.cache!.stats.bytes <= 2 * 8 * 8 * 3);
  assert.ok(tight.cache!.stats.evictions > 0);
});

test('no cache: every load decodes', async () => {
  const loader = new ImageLoader({ size: 8, cache: null });
  await pass(loader, 0);
  await pass(loader, 0);
  assert.equal(loader.stats.decodes, 10);
});

test('an edited file (new mtime) is decoded again; other sizes and modes are separate entries', async () => {
  const cache = new DecodeCache();
  const squash = new ImageLoader({ size: 8, cache });
  const letterbox = new ImageLoader({ size: 8, mode: 'letterbox', cache });
  const path = files[0]!;
  await squash.load(path);
  await squash.load(path);
  await letterbox.load(path);
  assert.equal(squash.stats.decodes + letterbox.stats.decodes, 2);

  await writeSolidPng(path, [99, 1, 2]);
  const later = new Date(Date.now() + 5000);
  await utimes(path, later, later);
  const reloaded = await squash.load(path);
  assert.ok(reloaded.ok);
  assert.equal(reloaded.pixels[0], 99);
  assert.equal(squash.stats.decodes, 2);
});

test('the cache evicts the least recently used entry first', () => {
  const cache = new DecodeCache({ maxBytes: 30 });
  const px = (v: number): Uint8Array => new Uint8Array(10).fill(v);
  cache.set('a', px(1));
  cache.set('b', px(2));
  cache.set('c', px(3));
  assert.equal(cache.get('a')?.[0], 1);
  cache.set('d', px(4));
  assert.equal(cache.get('b'), undefined);
  assert.deepEqual(['a', 'c', 'd'].map((k) => cache.get(k)?.[0]), [1, 3, 4]);
  cache.set('huge', new Uint8Array(31));
  assert.equal(cache.get('huge'), undefined);
  assert.equal(cache.stats.bytes, 30);
  assert.equal(cache.stats.evictions, 1);
});
