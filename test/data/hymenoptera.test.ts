import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createAugmentHook } from '../../src/data/augment.js';
import { BadFileReport } from '../../src/data/bad-files.js';
import { streamBatches } from '../../src/data/batches.js';
import { loadLabelledDataset, requireTrainable, stratifiedSplit } from '../../src/data/dataset.js';
import { ImageLoader } from '../../src/data/load-image.js';
import { HYMENOPTERA } from '../helpers/assets.js';

// Real photos, read in place from the shared assets (never copied into the repository).
const ROOT = join(HYMENOPTERA, 'train');
const skip = existsSync(ROOT) ? false : `no dataset at ${ROOT}`;

test('hymenoptera: two classes of real photos stream as batches', { skip }, async () => {
  const ds = await loadLabelledDataset(ROOT);
  assert.deepEqual(ds.classNames, ['ants', 'bees']);
  assert.deepEqual(ds.warnings, []);
  requireTrainable(ds);
  const names = ds.items.map((i) => i.path.slice(ROOT.length + 1));
  assert.ok(names.includes('ants/formica.jpeg'));
  assert.ok(names.includes('ants/imageNotFound.gif'));

  // A small stratified slice keeps this quick; the placeholder GIF is in it on purpose.
  const { val: sample } = stratifiedSplit(ds, { valFraction: 0.06, seed: 0 });
  const items = [...sample.items, ...ds.items.filter((i) => /formica|imageNotFound/.test(i.path))];
  const loader = new ImageLoader({ size: 64, mode: 'center-crop' });
  const badFiles = new BadFileReport();
  let n = 0;
  for await (const batch of streamBatches(items, {
    batchSize: 8,
    loader,
    badFiles,
    shuffle: true,
    seed: 1,
    augment: createAugmentHook(),
  })) {
    n += batch.n;
    assert.equal(batch.x.length, batch.n * 64 * 64 * 3);
    assert.ok(batch.x.every((v) => v >= 0 && v <= 255));
    assert.ok(new Set(batch.x.subarray(0, 64 * 64 * 3)).size > 20, 'a photo has more than a few values');
    assert.ok(Array.from(batch.y).every((y) => y === 0 || y === 1));
  }
  assert.equal(badFiles.size, 0, JSON.stringify(badFiles));
  assert.equal(n, items.length);
});
