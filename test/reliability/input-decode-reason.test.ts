// libvips keeps one error buffer per process and sharp clears it after every operation, so a
// truncated file decoded alongside others used to be reported with a neighbour's message or
// "Unknown error", differently from run to run. Its reason must be its own, every time.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BadFileReport } from '../../src/data/bad-files.js';
import { streamBatches } from '../../src/data/batches.js';
import { ImageLoader } from '../../src/data/load-image.js';
import { calibra } from '../helpers/cli.js';
import { makeTempDir } from '../data/fixtures.js';
import { synthFolder, writeTruncated } from './input-fixtures.js';

const TRUNCATED_JPEG = 'corrupt image: truncated JPEG (data ends before the image does)';
const TRUNCATED_PNG = 'corrupt image: truncated PNG (data ends before the image does)';

let dir: string;
let remove: () => Promise<void>;
let data: string;

before(async () => {
  ({ dir, remove } = await makeTempDir());
  data = await synthFolder(join(dir, 'digits'));
  // Cut at different points, so each fails at its own moment among the sound images.
  await writeTruncated(join(data, '1', 'cut-a.jpg'), 'jpeg', 0.6);
  await writeTruncated(join(data, '2', 'cut-b.png'), 'png', 0.6);
  await writeTruncated(join(data, '3', 'cut-c.jpg'), 'jpeg', 0.3);
  await writeTruncated(join(data, '4', 'cut-d.png'), 'png', 0.3);
});
after(() => remove());

const EXPECTED = { 'cut-a.jpg': TRUNCATED_JPEG, 'cut-b.png': TRUNCATED_PNG, 'cut-c.jpg': TRUNCATED_JPEG, 'cut-d.png': TRUNCATED_PNG };

test('ten concurrent passes give each truncated JPEG and PNG one and the same reason', async () => {
  const items = [];
  for (const label of (await readdir(data)).filter((f) => !f.startsWith('.'))) {
    for (const name of await readdir(join(data, label))) items.push({ path: join(data, label, name) });
  }
  items.sort((a, b) => (a.path < b.path ? -1 : 1));
  const seen = new Map<string, Set<string>>();
  for (let run = 0; run < 10; run++) {
    // A fresh loader each time: no cache, no remembered failure, every file decoded again.
    const loader = new ImageLoader({ size: 32, cache: null });
    const badFiles = new BadFileReport();
    let images = 0;
    for await (const batch of streamBatches(items, { batchSize: 8, loader, badFiles, concurrency: 4 })) images += batch.n;
    assert.equal(images, 10, 'the ten sound images decode');
    for (const { path, reason } of badFiles.list()) {
      const name = path.split('/').pop()!;
      if (!seen.has(name)) seen.set(name, new Set());
      seen.get(name)!.add(reason);
    }
  }
  assert.deepEqual(Object.fromEntries([...seen].map(([name, reasons]) => [name, [...reasons]])), Object.fromEntries(Object.entries(EXPECTED).map(([n, r]) => [n, [r]])));
});

test('eval reports the same reasons through the CLI', async () => {
  const r = await calibra(['eval', '--model', 'digits-resnet', '--data', data, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json!.n, 10);
  const skipped = r.json!.skipped as { path: string; reason: string }[];
  assert.deepEqual(Object.fromEntries(skipped.map((s) => [s.path.split('/').pop(), s.reason])), EXPECTED);
});
