// The cached batch source against the pixel stream's own order (epochOrder), worked out here
// independently: same images in the same batches, bad files' places filled, `start` resuming.
import test from 'node:test';
import assert from 'node:assert/strict';
import { epochOrder } from '../../src/data/batches.js';
import { featureSource, viewFor, type FeatureTable } from '../../src/train/feature-cache/table.js';
import type { Batch } from '../../src/data/batches.js';

const N = 11;
const DIM = 3;

/** Row (view v, image i) holds [v, i, i*10+v], so every value read back says where it came from. */
function table(views: number, missing: number[] = []): FeatureTable {
  const data = new Float32Array(views * N * DIM);
  for (let v = 0; v < views; v++) for (let i = 0; i < N; i++) data.set([v, i, i * 10 + v], (v * N + i) * DIM);
  const present = Uint8Array.from({ length: N }, (_, i) => (missing.includes(i) ? 0 : 1));
  return { data, views, images: N, dim: DIM, present };
}

const labels = Int32Array.from({ length: N }, (_, i) => i % 3);

async function collect(batches: AsyncIterable<Batch>): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of batches) out.push(b);
  return out;
}

test('shuffled batches follow epochOrder, skip absent images by filling from those after, and carry labels', async () => {
  const source = featureSource(table(1, [4, 7]), { batchSize: 4, shuffle: true, seed: 9, labels });
  const batches = await collect(source(2));
  const order = epochOrder(Array.from({ length: N }, (_, i) => i), 9, 2).filter((i) => i !== 4 && i !== 7);
  const seen = batches.flatMap((b) => Array.from({ length: b.n }, (_, k) => b.x[k * DIM + 1]!));
  assert.deepEqual(seen, order);
  assert.deepEqual(batches.map((b) => b.n), [4, 4, 1]);
  assert.deepEqual(Array.from(batches[0]!.y), order.slice(0, 4).map((i) => i % 3));
  assert.equal(batches[batches.length - 1]!.end, N);
});

test('starting at a batch\'s end yields exactly the batches that followed it', async () => {
  const source = featureSource(table(1, [2]), { batchSize: 3, shuffle: true, seed: 1, labels });
  const whole = await collect(source(5));
  const rest = await collect(source(5, whole[1]!.end));
  assert.deepEqual(rest.map((b) => Array.from(b.x)), whole.slice(2).map((b) => Array.from(b.x)));
});

test('with views, each image shows the view viewFor draws, the same on a replay and varying by epoch', async () => {
  const views = 4;
  const source = featureSource(table(views), { batchSize: 5, shuffle: false, seed: 3, labels });
  const rows = async (epoch: number) => (await collect(source(epoch))).flatMap((b) => Array.from({ length: b.n }, (_, k) => Array.from(b.x.subarray(k * DIM, (k + 1) * DIM))));
  const epoch1 = await rows(1);
  assert.deepEqual(epoch1, Array.from({ length: N }, (_, i) => {
    const v = viewFor(3, 1, i, views);
    return [v, i, i * 10 + v];
  }));
  assert.deepEqual(await rows(1), epoch1);
  const chosen = new Set([1, 2, 3, 4, 5].flatMap((e) => Array.from({ length: N }, (_, i) => viewFor(3, e, i, views))));
  assert.deepEqual([...chosen].sort(), [0, 1, 2, 3], 'over a few epochs every view is drawn');
  assert.notDeepEqual(await rows(2), epoch1);
});
