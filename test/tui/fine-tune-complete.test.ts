import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completeFrom, completePath, splitTyped } from '../../src/tui/fine-tune-path/complete-path.js';

const entries = [
  { name: 'models', dir: true },
  { name: 'model.json', dir: false },
  { name: 'data', dir: true },
  { name: '.hidden', dir: true },
];

test('splitTyped cuts at the last slash', () => {
  assert.deepEqual(splitTyped('a/b/cd'), { folder: 'a/b/', prefix: 'cd' });
  assert.deepEqual(splitTyped('cd'), { folder: '', prefix: 'cd' });
  assert.deepEqual(splitTyped('/x/'), { folder: '/x/', prefix: '' });
});

test('one match completes whole, a folder with its slash', () => {
  assert.deepEqual(completeFrom('some/d', entries), { text: 'some/data/', candidates: [] });
  assert.deepEqual(completeFrom('model.', entries), { text: 'model.json', candidates: [] });
});

test('several matches extend to their common prefix and are listed, folders marked', () => {
  assert.deepEqual(completeFrom('m', entries), { text: 'model', candidates: ['model.json', 'models/'] });
});

test('nothing matching leaves the text as typed; hidden names need a typed dot', () => {
  assert.deepEqual(completeFrom('zzz', entries), { text: 'zzz', candidates: [] });
  assert.deepEqual(completeFrom('', entries).candidates, ['data/', 'model.json', 'models/']);
  assert.deepEqual(completeFrom('.h', entries), { text: '.hidden/', candidates: [] });
});

test('completePath reads the folder the text names, relative to cwd, following links to folders', async () => {
  const root = mkdtempSync(join(tmpdir(), 'calibra-complete-'));
  mkdirSync(join(root, 'train', 'ants'), { recursive: true });
  mkdirSync(join(root, 'train', 'bees'));
  writeFileSync(join(root, 'train', 'notes.txt'), 'x');
  symlinkSync(join(root, 'train'), join(root, 'linked'));
  assert.deepEqual(await completePath('tr', root), { text: 'train/', candidates: [] });
  assert.deepEqual(await completePath('li', root), { text: 'linked/', candidates: [] });
  assert.deepEqual(await completePath('train/', root), { text: 'train/', candidates: ['ants/', 'bees/', 'notes.txt'] });
  assert.deepEqual(await completePath(`${root}/train/b`, '/'), { text: `${root}/train/bees/`, candidates: [] });
  assert.deepEqual(await completePath('missing/x', root), { text: 'missing/x', candidates: [] });
});
