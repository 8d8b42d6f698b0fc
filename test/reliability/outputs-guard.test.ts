// checkOutput on its own: the cases a command line rarely reaches (links, paths through files,
// empty folders, a set with a forged or missing marker).
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { checkOutput, DATASET_MARKER, foreignEntry } from '../../src/util/output-guard.js';

const root = await mkdtemp(join(tmpdir(), 'calibra-guard-'));
const rules = { kind: 'model' as const, overwrite: true, inputs: [] };
const refuses = (fragment: string) => (e: unknown) => e instanceof InputError && e.message.includes(fragment) && !e.message.includes('\n');

async function calibraModel(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ format: 'calibra-model' }));
  await writeFile(join(dir, 'model.json'), '{}');
  return dir;
}

test('an absent path and an empty folder are accepted without --overwrite, as absolute paths', async () => {
  const empty = join(root, 'empty');
  await mkdir(empty);
  assert.equal(await checkOutput(join(root, 'new'), { ...rules, overwrite: false }), join(root, 'new'));
  assert.equal(await checkOutput(empty, { ...rules, overwrite: false }), empty);
});

test('a symbolic link is refused even when it points at a Calibra model', async () => {
  const real = await calibraModel(join(root, 'real'));
  const link = join(root, 'link');
  await symlink(real, link);
  await assert.rejects(checkOutput(link, rules), refuses('symbolic link'));
  const dangling = join(root, 'dangling');
  await symlink(join(root, 'nowhere'), dangling);
  await assert.rejects(checkOutput(dangling, rules), refuses('symbolic link'));
});

test('a path through a file is refused, naming it', async () => {
  await writeFile(join(root, 'plain'), 'x');
  await assert.rejects(checkOutput(join(root, 'plain', 'sub'), rules), refuses(join(root, 'plain', 'sub')));
});

test('an input reached through a link is still an input', async () => {
  const data = join(root, 'data');
  await mkdir(data);
  await symlink(data, join(root, 'data-link'));
  await assert.rejects(checkOutput(join(root, 'data-link', 'out'), { ...rules, inputs: [{ flag: '--data', path: data }] }), refuses('inside --data'));
});

test('a model folder is Calibra\'s only with a calibra-model manifest and nothing but its three files', async () => {
  const dir = await calibraModel(join(root, 'm'));
  assert.equal(await foreignEntry(dir, 'model'), null);
  await writeFile(join(dir, 'weights.bin'), '');
  assert.equal(await foreignEntry(dir, 'model'), null);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ format: 'something-else' }));
  assert.equal(await foreignEntry(dir, 'model'), join(dir, 'manifest.json'));
});

test('a data set is Calibra\'s only with its marker and exactly the images the marker accounts for', async () => {
  const dir = join(root, 'set');
  for (let c = 0; c < 10; c++) await mkdir(join(dir, String(c)), { recursive: true });
  assert.equal(await foreignEntry(dir, 'dataset'), join(dir, DATASET_MARKER));
  await writeFile(join(dir, DATASET_MARKER), JSON.stringify({ format: 'calibra-dataset', perClass: 11 }));
  for (let c = 0; c < 10; c++) for (let i = 0; i < 11; i++) await writeFile(join(dir, String(c), `${String(i).padStart(2, '0')}.png`), '');
  assert.equal(await foreignEntry(dir, 'dataset'), null);
  await writeFile(join(dir, '7', '11.png'), '');
  assert.equal(await foreignEntry(dir, 'dataset'), join(dir, '7', '11.png'), 'one image more than the marker says');
  await assert.rejects(checkOutput(dir, { ...rules, kind: 'dataset' }), refuses('which Calibra did not write'));
});
