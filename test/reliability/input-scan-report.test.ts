// The words a skip or an ignore is reported in: kinds counted into one summary, and what a
// scan passed over, counted by extension, with hidden entries counted but never named.
import assert from 'node:assert/strict';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BadFileReport, describeFolderError, reasonKind } from '../../src/data/bad-files.js';
import { IgnoredTally, describeIgnored, mergeIgnored } from '../../src/data/ignored-files.js';
import { scanClassFolders, scanImageTree } from '../../src/data/image-files.js';
import { makeTempDir, writeBytes } from '../data/fixtures.js';

let dir: string;
let remove: () => Promise<void>;

before(async () => {
  ({ dir, remove } = await makeTempDir());
  for (const f of ['a/1.png', 'a/x.svg', 'a/.hidden.png', 'a/deep/y', 'b/2.jpg', 'b/.cache/3.png', 'notes.txt', '.git/HEAD']) {
    await writeBytes(join(dir, 'tree', f), 'x');
  }
  await mkdir(join(dir, 'tree', 'b', 'empty'));
  await symlink(join(dir, 'nowhere'), join(dir, 'tree', 'b', 'gone'));
  await symlink(join(dir, 'nowhere.png'), join(dir, 'tree', 'b', 'gone.png'));
});
after(() => remove());

test('the summary counts kinds, most common first, ties by name', () => {
  const report = new BadFileReport();
  report.add('/d/1', 'corrupt image: truncated JPEG (data ends before the image does)');
  report.add('/d/2', 'empty file (0 bytes)');
  report.add('/d/3', 'corrupt image: Input buffer has corrupt header: x');
  report.add('/d/4', describeFolderError(Object.assign(new Error('EACCES'), { code: 'EACCES' })));
  report.add('/d/5', 'unreadable: permission denied');
  assert.equal(report.summary(), '2 corrupt, 1 empty, 1 unreadable, 1 unreadable folder');
  assert.equal(reasonKind('unreadable folder: permission denied'), 'unreadable folder');
  assert.equal(reasonKind('not an image in a supported format'), 'not an image');
});

test('a tree scan lists images, reports dead links and counts what it passed over', async () => {
  const root = join(dir, 'tree');
  const scan = await scanImageTree(root);
  assert.deepEqual(scan.files.map((p) => p.slice(root.length + 1)), ['a/1.png', 'b/2.jpg', 'b/gone.png']);
  assert.deepEqual(scan.unreadable, [{ path: join(root, 'b', 'gone'), reason: 'unreadable: broken link (its target does not exist)' }]);
  assert.deepEqual(scan.ignored, {
    count: 6,
    hidden: 3,
    byExtension: { '': 1, '.svg': 1, '.txt': 1 },
    examples: [join(root, 'a/deep/y'), join(root, 'a/x.svg'), join(root, 'notes.txt')],
  });
});

test('a class scan counts the same entries, the root\'s included', async () => {
  const root = join(dir, 'tree');
  const scan = await scanClassFolders(root);
  assert.deepEqual(scan.classNames, ['a', 'b']);
  assert.equal(scan.ignored.count, 6);
  assert.equal(scan.ignored.hidden, 3);
});

test('ignored summaries merge and read as one line', () => {
  const a = new IgnoredTally();
  a.file('/x/a.svg');
  a.hidden();
  const b = new IgnoredTally();
  b.file('/y/b.svg');
  b.file('/y/c');
  const merged = mergeIgnored(a.summary(), b.summary());
  assert.deepEqual(merged, { count: 4, hidden: 1, byExtension: { '.svg': 2, '': 1 }, examples: ['/x/a.svg', '/y/b.svg', '/y/c'] });
  assert.equal(describeIgnored(merged), 'ignored 4 entries that are not images by name: 2 .svg, 1 with no extension (e.g. /x/a.svg, /y/b.svg); 1 hidden');
  assert.equal(describeIgnored(new IgnoredTally().summary()), null);
});
