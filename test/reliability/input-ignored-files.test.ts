// SVGs, files with no extension and hidden entries used to vanish without a word. They are
// still not read, but eval and train count them on stderr and in --json.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { calibra } from '../helpers/cli.js';
import { makeTempDir, writeBytes } from '../data/fixtures.js';
import { inputError, synthFolder } from './input-fixtures.js';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>\n';

let dir: string;
let remove: () => Promise<void>;
let data: string;

before(async () => {
  ({ dir, remove } = await makeTempDir());
  data = await synthFolder(join(dir, 'digits'));
  await writeBytes(join(data, '0', 'drawn.svg'), SVG);
  await writeBytes(join(data, '4', 'sketch.SVG'), SVG);
  await writeBytes(join(data, '6', 'scan'), 'no extension');
  await writeBytes(join(data, '8', '.DS_Store'), 'x');
  await mkdir(join(data, '.thumbnails'));
  await writeBytes(join(data, '.thumbnails', '0.png'), 'x');
});
after(() => remove());

const EXPECTED = {
  count: 5,
  hidden: 2,
  byExtension: { '.svg': 2, '': 1 },
  examples: ['0/drawn.svg', '4/sketch.SVG', '6/scan'],
};

const relativeExamples = (ignored: typeof EXPECTED) => ({ ...ignored, examples: ignored.examples.map((p) => p.slice(data.length + 1)) });

test('eval lists what it ignored, with counts, on stderr and in --json', async () => {
  const r = await calibra(['eval', '--model', 'digits-resnet', '--data', data, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json!.n, 10);
  assert.deepEqual(relativeExamples(r.json!.ignored as typeof EXPECTED), EXPECTED);
  const line = r.stderr.split('\n').find((l) => l.includes('ignored'));
  assert.equal(line, `--data ${data}: ignored 5 entries that are not images by name: 2 .svg, 1 with no extension (e.g. ${join(data, '0/drawn.svg')}, ${join(data, '4/sketch.SVG')}); 2 hidden`);
});

test('train reports the same in its --json', async () => {
  const r = await calibra(['train', '--model', 'digits-resnet', '--data', data, '--out', join(dir, 'model'), '--steps', '1', '--batch', '4', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(relativeExamples(r.json!.ignored as typeof EXPECTED), EXPECTED);
  assert.match(r.stderr, /ignored 5 entries/);
});

test('a folder of nothing but SVGs is exit 2 that says they were ignored', async () => {
  const svgs = join(dir, 'svgs');
  await writeBytes(join(svgs, '0', 'a.svg'), SVG);
  await writeBytes(join(svgs, '1', 'b.svg'), SVG);
  const line = inputError(await calibra(['eval', '--model', 'digits-resnet', '--data', svgs]));
  assert.ok(line.startsWith(`calibra: --data: no images in any class folder of ${svgs} (ignored 2 entries that are not images by name: 2 .svg`), line);
});
