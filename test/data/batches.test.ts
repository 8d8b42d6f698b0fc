import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { createAugmentHook } from '../../src/data/augment.js';
import { BadFileReport } from '../../src/data/bad-files.js';
import { type AugmentHook, type Batch, type FileBatch, type BatchArgs, type BatchItem, streamBatches } from '../../src/data/batches.js';
import { ImageLoader } from '../../src/data/load-image.js';
import { makeTempDir, writeSolidPng } from './fixtures.js';

// Ten solid images; image i has red = 20*i and green = its label, so a batch shows what it holds.
const SIZE = 4;
let dir: string;
let remove: () => Promise<void>;
let items: BatchItem[];

before(async () => {
  ({ dir, remove } = await makeTempDir());
  items = await Promise.all(
    Array.from({ length: 10 }, async (_, i) => {
      const label = i % 2;
      return { path: await writeSolidPng(join(dir, `${i}.png`), [20 * i, label, 7], SIZE), label };
    }),
  );
});
after(() => remove());

const args = (extra: Partial<BatchArgs> = {}): BatchArgs => ({
  batchSize: 4,
  loader: new ImageLoader({ size: SIZE }),
  badFiles: new BadFileReport(),
  ...extra,
});

const collect = async (it: AsyncIterable<FileBatch>): Promise<FileBatch[]> => {
  const out: FileBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
};

const reds = (b: Batch): number[] =>
  Array.from({ length: b.n }, (_, i) => b.x[i * SIZE * SIZE * 3]!);

test('batches carry pixels as float HWC, labels and paths, in order; the last may be short', async () => {
  const batches = await collect(streamBatches(items, args()));
  assert.deepEqual(batches.map((b) => b.n), [4, 4, 2]);
  const first = batches[0]!;
  assert.equal(first.x.length, 4 * SIZE * SIZE * 3);
  assert.deepEqual(Array.from(first.x.subarray(3 * 48, 3 * 48 + 6)), [60, 1, 7, 60, 1, 7]);
  assert.deepEqual(Array.from(first.y), [0, 1, 0, 1]);
  assert.deepEqual(first.paths, items.slice(0, 4).map((i) => i.path));
  assert.deepEqual(batches.flatMap(reds), items.map((_, i) => 20 * i));
});

test('dropLast leaves out the short batch; unlabelled items get -1', async () => {
  const unlabelled = items.map(({ path }) => ({ path }));
  const batches = await collect(streamBatches(unlabelled, args({ dropLast: true })));
  assert.deepEqual(batches.map((b) => b.n), [4, 4]);
  assert.deepEqual(Array.from(batches[0]!.y), [-1, -1, -1, -1]);
});

test('shuffling is a permutation fixed by (seed, epoch)', async () => {
  const order = async (seed: number, epoch: number): Promise<number[]> =>
    (await collect(streamBatches(items, args({ shuffle: true, seed, epoch })))).flatMap(reds);
  const a = await order(1, 0);
  assert.deepEqual(await order(1, 0), a);
  assert.notDeepEqual(await order(1, 1), a);
  assert.notDeepEqual(await order(2, 0), a);
  assert.deepEqual([...a].sort((x, y) => x - y), items.map((_, i) => 20 * i));
});

test('the next batch is already decoding when a batch is handed over', async () => {
  const a = args({ concurrency: 2 });
  const it = streamBatches(items, a);
  const first = await it.next();
  assert.equal(first.done, false);
  // Four loads for the batch handed over, and the next batch's first two already started.
  assert.equal(a.loader.stats.requests, 6);
  await it.return();
});

test('breaking out early stops starting decodes', async () => {
  const a = args({ batchSize: 2 });
  for await (const batch of streamBatches(items, a)) {
    assert.equal(batch.n, 2);
    break;
  }
  assert.equal(a.loader.stats.requests, 4);
});

test('augmentation is seeded per image: same seed same pixels, whatever the concurrency', async () => {
  const hook = createAugmentHook({ scale: [0.3, 0.6] });
  const pixels = async (seed: number, concurrency: number): Promise<number[]> =>
    (await collect(streamBatches(items, args({ augment: hook, seed, concurrency })))).flatMap((b) => Array.from(b.x));
  const a = await pixels(3, 4);
  assert.deepEqual(await pixels(3, 1), a);
  assert.notDeepEqual(await pixels(4, 4), a);
});

test('the hook gets the cache pixels and context; a wrong length is an error', async () => {
  const seen: string[] = [];
  const invert: AugmentHook = (px, ctx) => {
    seen.push(ctx.path);
    assert.equal(ctx.height * ctx.width * 3, px.length);
    return px.map((v) => 255 - v);
  };
  const [batch] = await collect(streamBatches(items.slice(0, 2), args({ augment: invert })));
  assert.equal(batch!.x[0], 255);
  // Hooks run as decodes finish, in any order; their seeds depend on position, not timing.
  assert.deepEqual(seen.sort(), items.slice(0, 2).map((i) => i.path).sort());

  const wrong: AugmentHook = () => new Uint8Array(3);
  await assert.rejects(collect(streamBatches(items, args({ augment: wrong }))), RangeError);
});

test('a hook failing in the prefetched batch surfaces at the next batch, not as an unhandled rejection', async () => {
  const failOnFifth: AugmentHook = (px, ctx) => {
    if (ctx.path === items[4]!.path) throw new Error('hook failed');
    return px;
  };
  const consumed: number[] = [];
  await assert.rejects(async () => {
    for await (const batch of streamBatches(items, args({ batchSize: 2, augment: failOnFifth }))) {
      consumed.push(batch.n);
      await setTimeout(20);
    }
  }, /hook failed/);
  assert.deepEqual(consumed, [2, 2]);
});
