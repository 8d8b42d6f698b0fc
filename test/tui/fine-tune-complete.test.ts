// Path completion on disk, as the wizard uses it: relative to its folder, `~` for home, and a
// link to a folder completing like a folder. The matching itself is tested in path-completion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { completePath } from '../../src/tui/path-completion.js';
import { listDirFrom, resolveTyped } from '../../src/tui/list-dir.js';

test('typed paths resolve under the folder, with ~ as home', () => {
  assert.equal(resolveTyped('a/b', '/work'), '/work/a/b');
  assert.equal(resolveTyped('/x/y', '/work'), '/x/y');
  assert.equal(resolveTyped('~/data', '/work'), join(homedir(), 'data'));
});

test('completion reads the folder the text names, relative to cwd, following links to folders', () => {
  const root = mkdtempSync(join(tmpdir(), 'calibra-complete-'));
  mkdirSync(join(root, 'train', 'ants'), { recursive: true });
  mkdirSync(join(root, 'train', 'bees'));
  writeFileSync(join(root, 'train', 'notes.txt'), 'x');
  symlinkSync(join(root, 'train'), join(root, 'linked'));
  symlinkSync(join(root, 'nowhere'), join(root, 'lost'));
  const list = listDirFrom(root);
  assert.deepEqual(completePath('tr', list), { value: 'train/', candidates: [] });
  assert.deepEqual(completePath('li', list), { value: 'linked/', candidates: [] });
  assert.deepEqual(completePath('lo', list), { value: 'lost', candidates: [] }, 'a broken link is no folder');
  assert.deepEqual(completePath('train/', list), { value: 'train/', candidates: ['ants/', 'bees/', 'notes.txt'] });
  assert.deepEqual(completePath(`${root}/train/b`, listDirFrom('/')), { value: `${root}/train/bees/`, candidates: [] });
  assert.deepEqual(completePath('missing/x', list), { value: 'missing/x', candidates: [] });
});
