import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completePath, type DirEntry } from '../../src/tui/path-completion.js';
import { listDir } from '../../src/tui/list-dir.js';

const tree: Record<string, DirEntry[]> = {
  '.': [{ name: 'data', isDirectory: true }, { name: 'digits.yaml', isDirectory: false }, { name: '.hidden', isDirectory: true }, { name: 'models', isDirectory: true }],
  'data/': [{ name: 'inverted-train', isDirectory: true }, { name: 'inverted-test', isDirectory: true }, { name: 'usps', isDirectory: true }],
  '/abs/': [{ name: 'model.json', isDirectory: false }],
};
const list = (dir: string) => tree[dir] ?? [];

test('one match completes whole, with a slash after a folder so the next tab goes inside', () => {
  assert.deepEqual(completePath('da', list), { value: 'data/', candidates: [] });
  assert.deepEqual(completePath('data/u', list), { value: 'data/usps/', candidates: [] });
  assert.deepEqual(completePath('/abs/m', list), { value: '/abs/model.json', candidates: [] });
});

test('several matches complete as far as they agree and are listed, folders marked', () => {
  assert.deepEqual(completePath('data/inv', list), { value: 'data/inverted-t', candidates: ['inverted-test/', 'inverted-train/'] });
  assert.deepEqual(completePath('d', list), { value: 'd', candidates: ['data/', 'digits.yaml'] });
});

test('no match, or a folder that cannot be listed, leaves the input as typed', () => {
  assert.deepEqual(completePath('data/zz', list), { value: 'data/zz', candidates: [] });
  assert.deepEqual(completePath('nowhere/x', list), { value: 'nowhere/x', candidates: [] });
});

test('hidden entries only when the segment starts with a dot', () => {
  assert.deepEqual(completePath('', list).candidates, ['data/', 'digits.yaml', 'models/']);
  assert.deepEqual(completePath('.h', list), { value: '.hidden/', candidates: [] });
});

test('the real lister reads a folder, tells folders from files, and lists a missing folder as empty', () => {
  const root = mkdtempSync(join(tmpdir(), 'calibra-complete-'));
  mkdirSync(join(root, 'images'));
  writeFileSync(join(root, 'images.txt'), '');
  const entries = listDir(root).sort((a, b) => a.name.localeCompare(b.name));
  assert.deepEqual(entries, [{ name: 'images', isDirectory: true }, { name: 'images.txt', isDirectory: false }]);
  assert.deepEqual(listDir(join(root, 'missing')), []);
  assert.deepEqual(completePath(`${root}/images`, listDir), { value: `${root}/images`, candidates: ['images/', 'images.txt'] });
});
