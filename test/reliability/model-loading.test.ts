// Models load strictly: the manifest's content hash is checked, weight paths stay in the model's
// folder, weight files have the size their specs need, and every refusal is one printable line.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, cp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calibra } from '../helpers/cli.js';
import { PRETRAINED_DIR } from '../../src/models/zoo.js';
import { oneLineRefusal, tinyDigits, trainArgs, workDir } from './outputs-fixtures.js';

const work = await workDir('loading');
const data = await tinyDigits(join(work, 'data'));
const shipped = join(PRETRAINED_DIR, 'digits-resnet');
let copies = 0;

async function copyOfShipped(): Promise<string> {
  const dir = join(work, `copy-${++copies}`);
  await cp(shipped, dir, { recursive: true });
  return dir;
}

async function editModelJson(dir: string, edit: (json: { modelTopology: unknown; weightsManifest: { paths: string[] }[] }) => void): Promise<void> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  edit(json);
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
}

const evalOf = (model: string, ...more: string[]) => calibra(['eval', '--model', model, '--data', data, '--json', ...more]);

test('the shipped model\'s manifest hash matches its files, recomputed here, and it loads', async () => {
  const json = JSON.parse(await readFile(join(shipped, 'model.json'), 'utf8'));
  const weights = await readFile(join(shipped, 'weights.bin'));
  const hash = createHash('sha256').update(JSON.stringify(json.modelTopology)).update(weights).digest('hex').slice(0, 16);
  assert.equal(JSON.parse(await readFile(join(shipped, 'manifest.json'), 'utf8')).contentHash, hash);
  const r = await evalOf('digits-resnet');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json!.modelHash, hash);
});

test('one flipped bit in weights.bin is refused by name; --trust-weights loads it anyway', async () => {
  const dir = await copyOfShipped();
  const weights = await readFile(join(dir, 'weights.bin'));
  weights[1000] ^= 0x40;
  await writeFile(join(dir, 'weights.bin'), weights);
  const line = oneLineRefusal(await evalOf(dir));
  assert.ok(line.includes(join(dir, 'weights.bin')), line);
  assert.match(line, /does not match .*\(--trust-weights loads them anyway\)/);
  const trusted = await evalOf(dir, '--trust-weights');
  assert.equal(trusted.code, 0, trusted.stderr);
  const train = await calibra(trainArgs(dir, data, join(work, 'from-flipped')));
  assert.ok(oneLineRefusal(train).includes('weights.bin'));
  const trainTrusted = await calibra(trainArgs(dir, data, join(work, 'from-flipped'), '--trust-weights'));
  assert.equal(trainTrusted.code, 0, trainTrusted.stderr);
});

test('a changed model.json with the old weights is refused too', async () => {
  const dir = await copyOfShipped();
  await editModelJson(dir, (j) => {
    (j.modelTopology as { config: { name: string } }).config.name = 'renamed';
  });
  assert.match(oneLineRefusal(await evalOf(dir)), /content hash .* does not match/);
});

test('extra bytes appended to weights.bin are refused, with a manifest or without', async () => {
  const dir = await copyOfShipped();
  await appendFile(join(dir, 'weights.bin'), Buffer.alloc(64, 7));
  const size = (await readFile(join(shipped, 'weights.bin'))).byteLength;
  const line = oneLineRefusal(await evalOf(dir));
  assert.ok(line.includes(`${join(dir, 'weights.bin')}: ${size + 64} bytes, but the weight specs in ${join(dir, 'model.json')} need ${size}`), line);
  await rm(join(dir, 'manifest.json'));
  assert.match(oneLineRefusal(await evalOf(dir, '--trust-weights')), /extra bytes at the end/);
});

test('a truncated weights.bin says so by name', async () => {
  const dir = await copyOfShipped();
  await truncate(join(dir, 'weights.bin'), 1000);
  const line = oneLineRefusal(await evalOf(dir));
  assert.ok(line.includes(`${join(dir, 'weights.bin')}: 1000 bytes`), line);
  assert.match(line, /truncated/);
});

test('weight paths that leave the model\'s folder are refused, by dots or by a link', async () => {
  const dots = await copyOfShipped();
  await editModelJson(dots, (j) => { j.weightsManifest[0]!.paths = ['../../../../etc/passwd']; });
  assert.match(oneLineRefusal(await evalOf(dots, '--trust-weights')), /weight path "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" leaves the model's folder/);
  const absolute = await copyOfShipped();
  await editModelJson(absolute, (j) => { j.weightsManifest[0]!.paths = [join(shipped, 'weights.bin')]; });
  assert.match(oneLineRefusal(await evalOf(absolute)), /leaves the model's folder/);
  const linked = await copyOfShipped();
  await rm(join(linked, 'weights.bin'));
  await symlink(join(shipped, 'weights.bin'), join(linked, 'weights.bin'));
  assert.match(oneLineRefusal(await evalOf(linked)), /weight path "weights\.bin" leaves the model's folder/);
});

test('a model.json that is not JSON, or has an empty topology, is one line naming it', async () => {
  const notJson = await copyOfShipped();
  await writeFile(join(notJson, 'model.json'), 'not json {\n  "still": "not"\n');
  assert.equal(oneLineRefusal(await evalOf(notJson)), `calibra: ${join(notJson, 'model.json')}: not valid JSON`);
  const empty = await copyOfShipped();
  await editModelJson(empty, (j) => { j.modelTopology = {}; });
  assert.match(oneLineRefusal(await evalOf(empty)), new RegExp(`^calibra: ${join(empty, 'model.json')}: modelTopology is empty`));
});

test('weights.bin given as --model is one printable line, with none of its bytes', async () => {
  const r = await evalOf(join(shipped, 'weights.bin'));
  assert.equal(oneLineRefusal(r), `calibra: ${join(shipped, 'weights.bin')}: a binary file, not JSON (give a model.json or its folder)`);
  assert.match(r.stderr, /^[\x20-\x7e\n]*$/, 'stderr is plain text');
});
