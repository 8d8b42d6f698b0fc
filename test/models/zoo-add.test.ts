// `models add` through the real binary: a local model registered under a name is listed, found
// by --model and predicts like the original; duplicates, bad paths and broken models are exit 2
// with nothing registered; the zoo copy's manifest makes a later change to its weights refuse.
import test from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HYMENOPTERA, TM_MOBILENET } from '../helpers/assets.js';
import { runCli } from '../reliability/store-fixtures.js';
import { sha256 } from './zoo-server.js';

const newHome = () => mkdtempSync(join(tmpdir(), 'calibra-zoo-add-'));

async function registered(home: string): Promise<{ id: string; origin: string }[]> {
  const r = await runCli(['models', '--json'], home);
  assert.equal(r.code, 0, r.stderr);
  return (r.json!.models as { id: string; origin: string }[]).filter((m) => m.origin !== 'shipped');
}

test('add registers a copy: models --json lists it, --model finds it, and it predicts as the original does', async () => {
  const home = newHome();
  const r = await runCli(['models', 'add', TM_MOBILENET, '--name', 'tm-added', '--json'], home);
  assert.equal(r.code, 0, r.stderr);
  const zooDir = join(home, 'models', 'tm-added');
  assert.equal(r.json!.path, join(zooDir, 'model.json'));
  assert.equal(r.json!.source, join(TM_MOBILENET, 'model.json'));
  const files = Object.fromEntries((r.json!.files as { path: string; sha256: string }[]).map((f) => [f.path, f.sha256]));
  assert.deepEqual(Object.keys(files).sort(), ['manifest.json', 'metadata.json', 'model.json', 'weights.bin']);
  for (const f of ['model.json', 'metadata.json', 'weights.bin']) assert.equal(files[f], sha256(readFileSync(join(TM_MOBILENET, f))), f);

  const list = await runCli(['models', '--json'], home);
  const entry = (list.json!.models as Record<string, any>[]).find((m) => m.id === 'tm-added')!;
  assert.deepEqual({ origin: entry.origin, path: entry.path, inputShape: entry.inputShape, bnLayers: entry.bnLayers, classes: entry.classes.length },
    { origin: 'add', path: join(zooDir, 'model.json'), inputShape: [224, 224, 3], bnLayers: 52, classes: 18 });

  const show = await runCli(['models', 'show', 'tm-added', '--json'], home);
  assert.equal(show.code, 0, show.stderr);
  assert.equal(show.json!.preprocessingSource, 'metadata', 'the copy keeps where its preprocessing came from');

  const image = join(HYMENOPTERA, 'val', 'bees', readdirSync(join(HYMENOPTERA, 'val', 'bees'))[0]!);
  const viaName = await runCli(['predict', '--model', 'tm-added', image, '--top', '3', '--json'], home);
  const viaPath = await runCli(['predict', '--model', TM_MOBILENET, image, '--top', '3', '--json'], home);
  assert.equal(viaName.code, 0, viaName.stderr);
  assert.equal((viaName.json!.predictions as unknown[]).length, 1);
  assert.deepEqual(viaName.json!.predictions, viaPath.json!.predictions);
});

test('a registered name is exit 2 unless --overwrite; a shipped name is refused', async () => {
  const home = newHome();
  assert.equal((await runCli(['models', 'add', TM_MOBILENET, '--name', 'tm'], home)).code, 0);
  const again = await runCli(['models', 'add', TM_MOBILENET, '--name', 'tm'], home);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /--name tm: a model of that name is already registered .*--overwrite replaces it/);
  const replaced = await runCli(['models', 'add', TM_MOBILENET, '--name', 'tm', '--overwrite'], home);
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.deepEqual((await registered(home)).map((m) => m.id), ['tm']);
  const shipped = await runCli(['models', 'add', TM_MOBILENET, '--name', 'digits-resnet'], home);
  assert.equal(shipped.code, 2);
  assert.match(shipped.stderr, /--name digits-resnet: Calibra ships a model of that name/);
});

test('a bad PATH, a folder without model.json, or a truncated weights file is exit 2 naming it, and nothing is registered', async () => {
  const home = newHome();
  const missing = await runCli(['models', 'add', '/nonexistent/model-dir', '--name', 'x'], home);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'calibra: models add /nonexistent/model-dir: no such file or folder\n');

  const empty = mkdtempSync(join(tmpdir(), 'calibra-empty-'));
  const noJson = await runCli(['models', 'add', empty, '--name', 'x'], home);
  assert.equal(noJson.code, 2);
  assert.match(noJson.stderr, new RegExp(`models add ${empty}: a folder without a model\\.json`));

  const broken = mkdtempSync(join(tmpdir(), 'calibra-broken-'));
  for (const f of ['model.json', 'metadata.json']) copyFileSync(join(TM_MOBILENET, f), join(broken, f));
  writeFileSync(join(broken, 'weights.bin'), readFileSync(join(TM_MOBILENET, 'weights.bin')).subarray(0, 1_000_000));
  const truncated = await runCli(['models', 'add', broken, '--name', 'x'], home);
  assert.equal(truncated.code, 2);
  assert.match(truncated.stderr, new RegExp(`${join(broken, 'weights.bin')}: 1000000 bytes, but the weight specs in .* need 2160432 \\(truncated\\)`));

  const badName = await runCli(['models', 'add', TM_MOBILENET, '--name', '../up'], home);
  assert.equal(badName.code, 2);
  assert.match(badName.stderr, /--name \.\.\/up: use letters, digits/);
  assert.deepEqual(await registered(home), []);
  assert.equal(existsSync(join(home, 'models', 'x')), false);
});

test('weights of the zoo copy changed after add: the content hash in its manifest refuses the load', async () => {
  const home = newHome();
  const source = mkdtempSync(join(tmpdir(), 'calibra-src-'));
  const dir = join(source, 'my-model');
  mkdirSync(dir);
  for (const f of ['model.json', 'metadata.json', 'weights.bin']) copyFileSync(join(TM_MOBILENET, f), join(dir, f));
  const added = await runCli(['models', 'add', dir], home);
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /^registered my-model: /, 'the name defaults to the folder name');
  const weights = join(home, 'models', 'my-model', 'weights.bin');
  const bytes = readFileSync(weights);
  bytes[5000] = bytes[5000]! ^ 0x01;
  writeFileSync(weights, bytes);
  const show = await runCli(['models', 'show', 'my-model'], home);
  assert.equal(show.code, 2);
  assert.match(show.stderr, /weights\.bin: content hash [0-9a-f]{16} does not match [0-9a-f]{16} in .*my-model\/manifest\.json/);
});
