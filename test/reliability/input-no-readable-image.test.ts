// A folder in which nothing decodes used to train 0 steps and save a model, or score
// "accuracy 0, n 0", and exit 0. It is bad input: exit 2, naming the folder and what was wrong.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { calibra } from '../helpers/cli.js';
import { makeTempDir, writeBytes } from '../data/fixtures.js';
import { inputError, synthFolder, writeTruncated } from './input-fixtures.js';

let dir: string;
let remove: () => Promise<void>;
let good: string;
let bad: string;

before(async () => {
  ({ dir, remove } = await makeTempDir());
  good = await synthFolder(join(dir, 'good'));
  bad = join(dir, 'bad');
  await writeTruncated(join(bad, '0', 'a.jpg'), 'jpeg');
  await writeTruncated(join(bad, '0', 'b.png'), 'png');
  await writeBytes(join(bad, '1', 'c.png'), 'this is not a PNG\n');
  await writeBytes(join(bad, '1', 'd.jpg'), '');
});
after(() => remove());

const SUMMARY = /: no readable image among 4 files \(2 corrupt, 1 empty, 1 not an image\)$/;

test('eval of a folder with no readable image exits 2 naming it and the skip summary', async () => {
  const line = inputError(await calibra(['eval', '--model', 'digits-resnet', '--data', bad, '--json']));
  assert.ok(line.startsWith(`calibra: --data ${bad}: `), line);
  assert.match(line, SUMMARY);
});

test('train on such a folder exits 2 and writes nothing', async () => {
  const out = join(dir, 'model-from-bad');
  const line = inputError(await calibra(['train', '--model', 'digits-resnet', '--data', bad, '--out', out, '--steps', '1', '--batch', '2']));
  assert.ok(line.startsWith(`calibra: --data ${bad}: `), line);
  assert.match(line, SUMMARY);
  assert.equal(existsSync(out), false);
});

test('train with a --val folder with no readable image exits 2 and writes nothing', async () => {
  const out = join(dir, 'model-with-bad-val');
  const r = await calibra(['train', '--model', 'digits-resnet', '--data', good, '--val', bad, '--out', out, '--steps', '1', '--batch', '2']);
  const line = inputError(r);
  assert.ok(line.startsWith(`calibra: --val ${bad}: `), line);
  assert.match(line, SUMMARY);
  assert.doesNotMatch(r.stderr, /step 1\/1/, 'the check comes before any training');
  assert.equal(existsSync(out), false);
});

test('a folder with some readable images still runs, skipping and reporting the bad ones', async () => {
  const mixed = join(dir, 'mixed');
  await synthFolder(mixed);
  await writeTruncated(join(mixed, '0', 'z-cut.jpg'), 'jpeg');
  await writeBytes(join(mixed, '1', 'z-empty.png'), '');
  const r = await calibra(['eval', '--model', 'digits-resnet', '--data', mixed, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json!.n, 10);
  const skipped = (r.json!.skipped as { path: string; reason: string }[]).map((s) => [s.path.slice(mixed.length + 1), s.reason]);
  assert.deepEqual(skipped, [
    ['0/z-cut.jpg', 'corrupt image: truncated JPEG (data ends before the image does)'],
    ['1/z-empty.png', 'empty file (0 bytes)'],
  ]);
});
