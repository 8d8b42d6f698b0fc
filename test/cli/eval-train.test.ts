// The foundation's promises, checked through the real binary on real files.
import test from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibra } from '../helpers/cli.js';

const work = await mkdtemp(join(tmpdir(), 'calibra-cli-'));

async function synth(domain: string, name: string, perClass: number, seed: number): Promise<string> {
  const out = join(work, name);
  const r = await calibra(['data', 'synth', '--domain', domain, '--out', out, '--per-class', String(perClass), '--seed', String(seed), '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json?.n, perClass * 10);
  return out;
}

test('models --json lists the shipped digits model in the contract shape', async () => {
  const r = await calibra(['models', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const models = r.json!.models as { id: string; path: string; classes: string[]; inputShape: number[]; bnLayers: number }[];
  const digits = models.find((m) => m.id === 'digits-resnet');
  assert.ok(digits, JSON.stringify(models));
  assert.deepEqual(digits.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(digits.inputShape, [32, 32, 3]);
  assert.equal(digits.bnLayers, 9);
  assert.ok(digits.path.endsWith('model.json'));
});

test('eval --json reports accuracy, n, perClass and the backend; the source domain scores high', async () => {
  const clean = await synth('clean', 'clean', 10, 11);
  const r = await calibra(['eval', '--model', 'digits-resnet', '--data', clean, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json!.n, 100);
  assert.ok((r.json!.accuracy as number) > 0.9, `clean accuracy ${r.json!.accuracy}`);
  assert.equal(Object.keys(r.json!.perClass as object).length, 10);
  assert.match(String(r.json!.backend), /^(native|wasm|cpu|tfjs-node|tfjs-node-gpu)$/);
  assert.match(r.stderr, /^backend: /m);
});

test('a corrupt JPEG, a text file named .png and an empty class folder crash neither eval nor train', async () => {
  const data = await synth('inverted', 'messy', 3, 12);
  await writeFile(join(data, '3', 'corrupt.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]));
  await writeFile(join(data, '5', 'notes.png'), 'this is not a png\n');
  await rm(join(data, '9'), { recursive: true });
  await mkdir(join(data, '9'));
  const ev = await calibra(['eval', '--model', 'digits-resnet', '--data', data, '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  assert.equal(ev.json!.n, 27, '30 images less the 3 of the emptied class; the 2 bad files skipped');
  const skipped = (ev.json!.skipped as { path: string }[]).map((s) => s.path.split('/').slice(-2).join('/')).sort();
  assert.deepEqual(skipped, ['3/corrupt.jpg', '5/notes.png']);
  assert.match(ev.stderr, /warning: .*9/);
  assert.match(ev.stderr, /corrupt\.jpg/);
  const tr = await calibra(['train', '--model', 'digits-resnet', '--data', data, '--out', join(work, 'messy-model'), '--batch', '4', '--accum', '2', '--json']);
  assert.equal(tr.code, 0, tr.stderr);
  assert.equal((tr.json!.skipped as unknown[]).length, 2);
  assert.equal(tr.json!.images, 27);
  assert.equal(tr.json!.steps, 4, '27 images in steps of 2 passes of 4');
  assert.match(tr.stderr, /warning: --accum 2 with --bn-stats update/);
});

test('one epoch of train on a shifted domain raises accuracy there (wasm backend)', async () => {
  const train = await synth('inverted', 'inv-train', 40, 21);
  const testSet = await synth('inverted', 'inv-test', 20, 22);
  const before = await calibra(['eval', '--model', 'digits-resnet', '--data', testSet, '--json', '--backend', 'wasm']);
  assert.equal(before.code, 0, before.stderr);
  const out = join(work, 'adapted');
  const tr = await calibra(['train', '--model', 'digits-resnet', '--data', train, '--out', out, '--epochs', '1', '--batch', '16', '--seed', '1', '--json', '--backend', 'wasm']);
  assert.equal(tr.code, 0, tr.stderr);
  assert.equal(tr.json!.backend, 'wasm');
  assert.ok((tr.json!.images_per_second as number) > 0);
  assert.equal(tr.json!.steps, 25);
  const after = await calibra(['eval', '--model', out, '--data', testSet, '--json', '--backend', 'wasm']);
  assert.equal(after.code, 0, after.stderr);
  const [a0, a1] = [before.json!.accuracy as number, after.json!.accuracy as number];
  assert.ok(a1 > a0 + 0.1, `accuracy on the target domain: before ${a0}, after ${a1}`);
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
  assert.equal(manifest.lineage.parent, before.json!.modelHash);
  assert.match(manifest.bnStatistics, /^fine-tune:/);
  assert.deepEqual((await readdir(out)).sort(), ['manifest.json', 'model.json', 'weights.bin']);
});

test('--val-split holds out a seeded, stratified share of --data', async () => {
  const out = join(work, 'split-model');
  const r = await calibra(['train', '--model', 'digits-resnet', '--data', join(work, 'inv-train'), '--val-split', '0.25', '--steps', '2', '--batch', '8', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json!.val_n, 100, '10 of each class of 40');
  assert.match(r.stderr, /holding out 100 of 400 images/);
  const both = await calibra(['train', '--model', 'digits-resnet', '--data', join(work, 'inv-train'), '--val', join(work, 'inv-test'), '--val-split', '0.2', '--out', out]);
  assert.equal(both.code, 2);
});

test('a run that fails leaves an existing model at --out untouched', async () => {
  const out = join(work, 'keep');
  await mkdir(out);
  for (const f of ['model.json', 'weights.bin', 'manifest.json']) await copyFile(join(work, 'adapted', f), join(out, f));
  const oneClass = join(work, 'one-class');
  await mkdir(join(oneClass, '4'), { recursive: true });
  await copyFile(join(work, 'inv-test', '4', (await readdir(join(work, 'inv-test', '4')))[0]!), join(oneClass, '4', 'a.png'));
  const before = await readFile(join(out, 'weights.bin'));
  const r = await calibra(['train', '--model', 'digits-resnet', '--data', oneClass, '--out', out, '--overwrite']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /class/);
  assert.deepEqual((await readdir(out)).sort(), ['manifest.json', 'model.json', 'weights.bin']);
  assert.deepEqual(await readFile(join(out, 'weights.bin')), before);
});

test('every train and eval lands in the run store with its lineage', async () => {
  const r = await calibra(['runs', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const runs = r.json!.runs as { id: string; command: string; status: string; lineage: { parentModel: string; outputModel: string | null; dataset: string | null } }[];
  const train = runs.find((x) => x.command === 'train' && x.status === 'finished' && x.lineage.outputModel);
  assert.ok(train, JSON.stringify(runs.map((x) => [x.command, x.status])));
  assert.match(train.lineage.parentModel, /^[0-9a-f]{16}$/);
  assert.match(train.lineage.dataset ?? '', /^[0-9a-f]{16}$/);
  assert.ok(runs.some((x) => x.command === 'eval'));
  const show = await calibra(['runs', 'show', train.id]);
  assert.equal(show.code, 0);
  assert.match(show.stdout, /\nepochs\n {2}epoch +loss .*\n {6}1 +\d\.\d{4} /);
});
