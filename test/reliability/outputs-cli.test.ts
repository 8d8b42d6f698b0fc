// `--out` never destroys what Calibra did not write, never lands in or over an input, and is
// checked before any work starts: every case through the real binary.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calibra } from '../helpers/cli.js';
import { PRETRAINED_DIR } from '../../src/models/zoo.js';
import { manifestOf, oneLineRefusal, runRefusal, snapshot, tinyDigits, trainArgs, workDir } from './outputs-fixtures.js';

const work = await workDir('outputs');
const data = await tinyDigits(join(work, 'data'));
const model = join(work, 'model');
const first = await calibra(trainArgs('digits-resnet', data, model, '--seed', '1'));
assert.equal(first.code, 0, first.stderr);

/** Runs a command that must be refused: exit 2, one line naming `named`, `root` unchanged, nothing trained. */
async function refused(args: string[], named: string, root: string): Promise<string> {
  const before = await snapshot(root);
  const r = await calibra(args);
  const line = oneLineRefusal(r);
  assert.ok(line.includes(named), `${line} should name ${named}`);
  assert.doesNotMatch(r.stderr, /^backend: /m, 'refused before the engine started, so before any training');
  assert.deepEqual(await snapshot(root), before);
  return line;
}

test('train refuses an --out folder of someone else\'s files', async () => {
  const notes = join(work, 'notes');
  await mkdir(notes);
  await writeFile(join(notes, 'ideas.txt'), 'keep me');
  const line = await refused(trainArgs('digits-resnet', data, notes, '--overwrite'), notes, work);
  assert.match(line, /not a Calibra model/);
});

test('train refuses --out equal to --data, inside --data, and an image file in --data', async () => {
  assert.match(await refused(trainArgs('digits-resnet', data, data, '--overwrite'), data, work), /is --data .* itself/);
  const image = join(data, '0', (await readdir(join(data, '0')))[0]!);
  assert.match(await refused(trainArgs('digits-resnet', data, image, '--overwrite'), image, work), /inside --data/);
  await refused(trainArgs('digits-resnet', data, join(data, '3', 'new-model')), join(data, '3', 'new-model'), work);
});

test('train refuses --out inside or equal to --val', async () => {
  const val = await tinyDigits(join(work, 'val'), 2);
  await refused([...trainArgs('digits-resnet', data, val, '--overwrite'), '--val', val], val, work);
});

test('train refuses --out equal to --model, even a Calibra model with --overwrite, and the folder around it', async () => {
  assert.match(await refused(trainArgs(model, data, model, '--overwrite'), model, work), /is --model .* itself/);
  assert.match(await refused(trainArgs(join(model, 'model.json'), data, model, '--overwrite'), model, work), /is --model/);
  assert.match(await refused(trainArgs(model, data, work, '--overwrite'), work, work), /would replace --model/);
});

test('no --out may replace or enter a shipped model, with or without --overwrite', async () => {
  const shipped = join(PRETRAINED_DIR, 'digits-resnet');
  await refused(trainArgs('digits-resnet', data, shipped, '--overwrite'), shipped, PRETRAINED_DIR);
  await refused(trainArgs(model, data, shipped, '--overwrite'), shipped, PRETRAINED_DIR);
  await refused(trainArgs(model, data, join(PRETRAINED_DIR, 'mine')), join(PRETRAINED_DIR, 'mine'), PRETRAINED_DIR);
  const synth = await calibra(['data', 'synth', '--domain', 'clean', '--out', shipped, '--per-class', '1', '--overwrite']);
  assert.ok(oneLineRefusal(synth).includes(shipped));
});

test('a Calibra model at --out is replaced only with --overwrite, and not when it holds other files', async () => {
  const out = join(work, 'again');
  assert.equal((await calibra(trainArgs('digits-resnet', data, out, '--seed', '1'))).code, 0);
  const line = await refused(trainArgs('digits-resnet', data, out, '--seed', '2'), out, work);
  assert.match(line, /pass --overwrite/);
  const r = await calibra(trainArgs('digits-resnet', data, out, '--seed', '2', '--overwrite'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await manifestOf(out)).recipe.seed, 2, 'the new model replaced the old one');
  assert.deepEqual((await readdir(out)).sort(), ['manifest.json', 'model.json', 'weights.bin']);
  await writeFile(join(out, 'README.md'), 'my notes on this model');
  assert.match(await refused(trainArgs('digits-resnet', data, out, '--seed', '3', '--overwrite'), join(out, 'README.md'), work), /which Calibra did not write/);
});

test('an --out that is a file is refused and the file kept', async () => {
  const file = join(work, 'results.csv');
  await writeFile(file, 'a,b\n');
  assert.match(await refused(trainArgs('digits-resnet', data, file, '--overwrite'), file, work), /is a file/);
});

test('data synth replaces only a set it wrote, and only with --overwrite', async () => {
  const set = join(work, 'set');
  const args = ['data', 'synth', '--domain', 'clean', '--out', set, '--per-class', '1', '--size', '16'];
  assert.equal((await calibra(args)).code, 0);
  assert.match(await refused(args, set, work), /pass --overwrite/);
  assert.equal((await calibra([...args.slice(0, 7), '2', '--size', '16', '--overwrite'])).code, 0);
  assert.deepEqual((await readdir(join(set, '4'))).sort(), ['0.png', '1.png'], 'the two-per-class set replaced the one-per-class set');
  const marker = JSON.parse(await readFile(join(set, '.calibra-dataset.json'), 'utf8'));
  assert.equal(marker.perClass, 2);
  assert.match(await refused([...args, '--overwrite', '--out', model], model, work), /not a Calibra data set/);
  await writeFile(join(set, '4', 'extra.png'), 'hand-drawn');
  await refused([...args, '--overwrite'], join(set, '4', 'extra.png'), work);
});

test('workflow steps: overwrite on train, replace kept as an alias on synth, run --overwrite for all', async () => {
  const preset = join(work, 'p.yaml');
  const out = join(work, 'wf-model');
  const set = join(work, 'wf-set');
  const write = (trainExtra: string, synthExtra: string) => writeFile(preset, [
    'name: t', 'steps:',
    `  - synth: { domain: clean, out: "${set}", perClass: 1, size: 16${synthExtra} }`,
    `  - train: { model: digits-resnet, data: "${data}", out: "${out}", steps: 1, batch: 4, augment: false${trainExtra} }`,
  ].join('\n') + '\n');
  await write('', '');
  assert.equal((await calibra(['run', preset])).code, 0);
  const synthRefused = await calibra(['run', preset]);
  assert.ok(runRefusal(synthRefused).includes(set));
  await write('', ', replace: true');
  const trainRefused = await calibra(['run', preset]);
  assert.match(runRefusal(trainRefused), /--out .*wf-model: a Calibra model is already there/);
  await write(', overwrite: true', ', replace: true');
  const both = await calibra(['run', preset]);
  assert.equal(both.code, 0, both.stderr);
  await write('', '');
  const flag = await calibra(['run', preset, '--overwrite']);
  assert.equal(flag.code, 0, flag.stderr);
});
