import assert from 'node:assert/strict';
import { mkdir, symlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InputError } from '../../src/errors.js';
import {
  loadImageList,
  loadLabelledDataset,
  requireTrainable,
} from '../../src/data/dataset.js';
import { hasImageExtension, listImageFiles, scanClassFolders } from '../../src/data/image-files.js';
import { makeTempDir, writeBytes } from './fixtures.js';

// Scanning never decodes, so placeholder bytes stand in for images here.
let dir: string;
let remove: () => Promise<void>;

before(async () => {
  ({ dir, remove } = await makeTempDir());
  const labelled = join(dir, 'labelled');
  for (const f of [
    'cats/b.png',
    'cats/a.JPG',
    'cats/.hidden.png',
    'cats/notes.txt',
    'cats/sub/c.webp',
    'dogs/x.jpeg',
    'dogs/y.TIFF',
    '.git/z.png',
    'README.md',
  ]) {
    await writeBytes(join(labelled, f), 'x');
  }
  await mkdir(join(labelled, 'empty'));
  for (const f of ['b/2.gif', 'a.png', 'b/1.tif', 'c/d/e.jpg', 'skip.bmp', '.h/q.png', 'c/.q.png']) {
    await writeBytes(join(dir, 'tree', f), 'x');
  }
  await symlink(join(dir, 'tree'), join(dir, 'tree', 'c', 'loop'));
  await writeBytes(join(dir, 'textonly', 'a.txt'), 'x');
  await mkdir(join(dir, 'allempty', 'a'), { recursive: true });
  await mkdir(join(dir, 'allempty', 'b'), { recursive: true });
  await writeBytes(join(dir, 'flat', 'a.png'), 'x');
  await writeBytes(join(dir, 'single', 'only', 'a.png'), 'x');
});

after(() => remove());

const rel = (paths: readonly string[], root: string): string[] => paths.map((p) => relative(root, p));

describe('image extensions', () => {
  test('recognises the image extensions in any case, and nothing else', () => {
    for (const name of ['a.jpg', 'a.JPEG', 'a.png', 'a.WebP', 'a.gif', 'a.tif', 'a.Tiff']) {
      assert.ok(hasImageExtension(name), name);
    }
    for (const name of ['a.bmp', 'a.txt', 'png', 'a.png.txt', 'a']) assert.ok(!hasImageExtension(name), name);
  });
});

describe('labelled folders', () => {
  test('class names are the visible subfolders, sorted; files sorted, nested, filtered', async () => {
    const root = join(dir, 'labelled');
    const scan = await scanClassFolders(root);
    assert.deepEqual(scan.classNames, ['cats', 'dogs', 'empty']);
    assert.deepEqual(rel(scan.files[0]!, root), ['cats/a.JPG', 'cats/b.png', 'cats/sub/c.webp']);
    assert.deepEqual(rel(scan.files[1]!, root), ['dogs/x.jpeg', 'dogs/y.TIFF']);
    assert.deepEqual(scan.files[2], []);
  });

  test('an empty class folder is a warning and keeps its index', async () => {
    const ds = await loadLabelledDataset(join(dir, 'labelled'));
    assert.deepEqual(ds.classNames, ['cats', 'dogs', 'empty']);
    assert.deepEqual(
      ds.items.map((i) => i.label),
      [0, 0, 0, 1, 1],
    );
    assert.equal(ds.warnings.length, 1);
    assert.match(ds.warnings[0]!, /'empty'.*no images/);
    requireTrainable(ds);
  });

  test('a single class loads (evaluation) but is not trainable', async () => {
    const root = join(dir, 'single');
    const ds = await loadLabelledDataset(root);
    assert.deepEqual(ds.classNames, ['only']);
    assert.throws(() => requireTrainable(ds), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.ok(err.message.includes(root));
      assert.match(err.message, /at least 2 classes/);
      return true;
    });
  });

  test('class folders that are all empty are an error naming the folder', async () => {
    const root = join(dir, 'allempty');
    await assert.rejects(loadLabelledDataset(root), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.ok(err.message.includes(root));
      return true;
    });
  });

  test('images with no class folders are an error that says so', async () => {
    await assert.rejects(loadLabelledDataset(join(dir, 'flat')), /no class folders.*1 images directly/);
  });
});

describe('unlabelled trees', () => {
  test('every visible image, nested or not, in sorted order; link loops visited once', async () => {
    const root = join(dir, 'tree');
    assert.deepEqual(rel(await listImageFiles(root), root), ['a.png', 'b/1.tif', 'b/2.gif', 'c/d/e.jpg']);
    assert.deepEqual(rel(await loadImageList(root), root), ['a.png', 'b/1.tif', 'b/2.gif', 'c/d/e.jpg']);
  });

  test('a folder without images is an error naming it', async () => {
    const root = join(dir, 'textonly');
    await assert.rejects(loadImageList(root), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.message, `no images in ${root}`);
      return true;
    });
  });
});

describe('missing input', () => {
  test('a missing folder is an InputError naming it', async () => {
    const root = join(dir, 'nope');
    for (const load of [loadImageList, loadLabelledDataset]) {
      await assert.rejects(load(root), (err: unknown) => {
        assert.ok(err instanceof InputError);
        assert.equal(err.message, `folder not found: ${root}`);
        return true;
      });
    }
  });

  test('a file where a folder is expected is an InputError', async () => {
    const path = join(dir, 'labelled', 'README.md');
    await assert.rejects(loadImageList(path), new InputError(`not a folder: ${path}`));
  });
});
