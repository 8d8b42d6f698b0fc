import assert from 'node:assert/strict';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type BadFile, BadFileReport, describeLoadError } from '../../src/data/bad-files.js';
import { type FileBatch, streamBatches } from '../../src/data/batches.js';
import { loadImageList } from '../../src/data/dataset.js';
import { ImageLoader } from '../../src/data/load-image.js';
import { makeTempDir, writeBytes, writeSolidPng, writeTruncatedJpeg } from './fixtures.js';

// Sorted order: good and bad files alternate, so every batch has holes to fill.
let dir: string;
let remove: () => Promise<void>;

before(async () => {
  ({ dir, remove } = await makeTempDir());
  await writeSolidPng(join(dir, 'a-good.png'), [10, 0, 0]);
  await writeTruncatedJpeg(join(dir, 'b-corrupt.jpg'));
  await writeSolidPng(join(dir, 'c-good.png'), [20, 0, 0]);
  await writeBytes(join(dir, 'd-text.png'), 'this is not a PNG\n');
  await writeBytes(join(dir, 'e-empty.png'), '');
  await writeSolidPng(join(dir, 'f-good.png'), [30, 0, 0]);
  await symlink(join(dir, 'missing-target.png'), join(dir, 'g-dangling.png'));
  await writeSolidPng(join(dir, 'h-good.png'), [40, 0, 0]);
});
after(() => remove());

const collect = async (it: AsyncIterable<FileBatch>): Promise<FileBatch[]> => {
  const out: FileBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
};

test('bad files are skipped, reported with a reason, and batches filled from the next files', async () => {
  const paths = await loadImageList(dir);
  assert.equal(paths.length, 8, 'every file with an image name is listed, dangling link included');
  const seen: BadFile[] = [];
  const badFiles = new BadFileReport({ onAdd: (bad) => seen.push(bad) });
  const loader = new ImageLoader({ size: 4 });
  const items = paths.map((path) => ({ path, label: 0 }));

  const batches = await collect(streamBatches(items, { batchSize: 2, loader, badFiles }));
  assert.deepEqual(
    batches.map((b) => b.paths.map((p) => p.slice(dir.length + 1))),
    [['a-good.png', 'c-good.png'], ['f-good.png', 'h-good.png']],
  );
  assert.deepEqual(
    batches.map((b) => b.x[0]),
    [10, 30],
  );

  const reasons = Object.fromEntries(badFiles.list().map((b) => [b.path.slice(dir.length + 1), b.reason]));
  assert.deepEqual(Object.keys(reasons), ['b-corrupt.jpg', 'd-text.png', 'e-empty.png', 'g-dangling.png']);
  assert.match(reasons['b-corrupt.jpg']!, /^corrupt image: .*JPEG/i);
  assert.equal(reasons['d-text.png'], 'not an image in a supported format');
  assert.equal(reasons['e-empty.png'], 'empty file (0 bytes)');
  assert.equal(reasons['g-dangling.png'], 'unreadable: file not found');
  assert.equal(seen.length, 4);

  // A second epoch reports nothing new and does not try to decode the corrupt files again.
  const decodesBefore = loader.stats.decodes;
  await collect(streamBatches(items, { batchSize: 2, loader, badFiles, shuffle: true, epoch: 1 }));
  assert.equal(badFiles.size, 4);
  assert.equal(seen.length, 4);
  assert.equal(loader.stats.decodes, decodesBefore);
});

test('a load of only bad files yields no batch and does not throw', async () => {
  const badFiles = new BadFileReport();
  const loader = new ImageLoader({ size: 4 });
  const items = ['b-corrupt.jpg', 'd-text.png', 'e-empty.png'].map((f) => ({ path: join(dir, f) }));
  assert.deepEqual(await collect(streamBatches(items, { batchSize: 2, loader, badFiles })), []);
  assert.equal(badFiles.size, 3);
});

test('reasons are one line, from the error code or the decoder', () => {
  const errno = (code: string): Error => Object.assign(new Error(code), { code });
  assert.equal(describeLoadError(errno('EACCES')), 'unreadable: permission denied');
  assert.equal(describeLoadError(errno('EISDIR')), 'unreadable: is a folder');
  assert.equal(describeLoadError(errno('EWHATEVER')), 'unreadable: EWHATEVER');
  assert.equal(describeLoadError(new Error('Input buffer contains unsupported image format')), 'not an image in a supported format');
  assert.equal(describeLoadError(new Error('Input image exceeds pixel limit')), "too large: over the decoder's pixel limit");
  assert.equal(describeLoadError(new Error('VipsJpeg: premature end\nmore detail')), 'corrupt image: VipsJpeg: premature end');
});

test('the report keeps the first reason per file and lists by path', () => {
  const report = new BadFileReport();
  assert.equal(report.add('/z.png', 'first'), true);
  assert.equal(report.add('/a.png', 'other'), true);
  assert.equal(report.add('/z.png', 'second'), false);
  assert.ok(report.has('/z.png'));
  assert.deepEqual(JSON.parse(JSON.stringify(report)), [
    { path: '/a.png', reason: 'other' },
    { path: '/z.png', reason: 'first' },
  ]);
});
