// The feature cache through the real binary, on the shipped digits model and tiny synthetic sets:
// a cached run trains the same head as an uncached one, a cache is found again only while its
// inputs are unchanged, a killed build is never read, and 'on' where it cannot apply is refused.
import test from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibra, type CliResult } from '../helpers/cli.js';

const work = await mkdtemp(join(tmpdir(), 'calibra-fcache-'));

async function synth(name: string, seed: number): Promise<string> {
  const out = join(work, name);
  const r = await calibra(['data', 'synth', '--domain', 'inverted', '--out', out, '--per-class', '2', '--seed', String(seed), '--json']);
  assert.equal(r.code, 0, r.stderr);
  return out;
}

const data = await synth('train', 3);
const val = await synth('val', 4);
let outs = 0;

/** Head-only training on the tiny set; each call writes a fresh --out. */
function train(more: string[], env: Record<string, string> = {}, model = 'digits-resnet'): Promise<CliResult> {
  const out = join(work, `out-${++outs}`);
  return calibra(['train', '--model', model, '--data', data, '--val', val, '--freeze', 'backbone', '--epochs', '2', '--batch', '4', '--lr', '0.01', '--out', out, '--json', ...more], env);
}

/** Every weight of a saved model by name, read from its files. */
async function weightsOf(dir: string): Promise<Map<string, Float32Array>> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { weights: { name: string; shape: number[] }[] }[] };
  const bytes = await readFile(join(dir, 'weights.bin'));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out = new Map<string, Float32Array>();
  let at = 0;
  for (const w of json.weightsManifest.flatMap((g) => g.weights)) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    out.set(w.name, all.subarray(at, at + n));
    at += n;
  }
  return out;
}

test('with --no-augment a cached run ends with the same weights and validation accuracy as an uncached one, and its model evaluates alike', async () => {
  const cached = await train(['--no-augment']);
  const plain = await train(['--no-augment', '--feature-cache', 'off']);
  assert.equal(cached.code, 0, cached.stderr);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(cached.json!.featureCache, 'built');
  assert.equal(plain.json!.featureCache, 'off');
  assert.match(cached.stderr, /^feature cache: built 20 images \(\d+\.\d s\)$/m);
  assert.match(cached.stderr, /^validation feature cache: built 20 images/m);
  const [a, b] = [await weightsOf(String(cached.json!.out)), await weightsOf(String(plain.json!.out))];
  assert.deepEqual([...a.keys()], [...b.keys()]);
  const kernel = a.get('head_logits/kernel')!;
  const start = await weightsOf(join('pretrained', 'digits-resnet'));
  assert.ok(kernel.some((v, i) => Math.abs(v - start.get('head_logits/kernel')![i]!) > 1e-3), 'the head trained');
  for (const [name, wa] of a) {
    const wb = b.get(name)!;
    const scale = Math.max(...Array.from(wb, Math.abs), 1e-12);
    const worst = Math.max(...Array.from(wa, (v, i) => Math.abs(v - wb[i]!)));
    assert.ok(worst <= 1e-5 * scale, `${name}: differs by ${worst} (largest magnitude ${scale})`);
  }
  assert.equal(cached.json!.val_accuracy, plain.json!.val_accuracy);
  assert.ok(Math.abs(Number(cached.json!.val_loss) - Number(plain.json!.val_loss)) < 1e-5, `${cached.json!.val_loss} vs ${plain.json!.val_loss}`);
  const ev = await calibra(['eval', '--model', String(cached.json!.out), '--data', val, '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  assert.equal(ev.json!.accuracy, cached.json!.val_accuracy, 'the saved full model scores what the cached validation reported');
});

test('a second run hits the cache; new images, another preprocessing or another backbone each build a new one', async () => {
  const home = await mkdtemp(join(tmpdir(), 'calibra-fcache-home-'));
  const first = await train(['--no-augment'], { CALIBRA_HOME: home });
  assert.equal(first.json!.featureCache, 'built', first.stderr);
  const again = await train(['--no-augment'], { CALIBRA_HOME: home });
  assert.equal(again.json!.featureCache, 'hit', again.stderr);
  assert.match(again.stderr, /^feature cache: hit, 20 images$/m);
  assert.equal(again.json!.contentHash, first.json!.contentHash, 'the same run, cache built or found');
  // A model fine-tuned with its backbone frozen has the same backbone: its features are the same.
  const sameBackbone = await train(['--no-augment'], { CALIBRA_HOME: home }, String(first.json!.out));
  assert.equal(sameBackbone.json!.featureCache, 'hit', sameBackbone.stderr);
  const preprocess = await train(['--no-augment', '--preprocess=-1-1'], { CALIBRA_HOME: home });
  assert.equal(preprocess.json!.featureCache, 'built', preprocess.stderr);
  const moved = await calibra(['train', '--model', 'digits-resnet', '--data', data, '--freeze', 'none', '--steps', '1', '--batch', '4', '--no-augment', '--out', join(work, 'moved'), '--json'], { CALIBRA_HOME: home });
  assert.equal(moved.code, 0, moved.stderr);
  const otherBackbone = await train(['--no-augment'], { CALIBRA_HOME: home }, join(work, 'moved'));
  assert.equal(otherBackbone.json!.featureCache, 'built', otherBackbone.stderr);
  await copyFile(join(data, '7', (await readdir(join(data, '7')))[0]!), join(data, '7', 'extra.png'));
  const added = await train(['--no-augment'], { CALIBRA_HOME: home });
  assert.equal(added.json!.featureCache, 'built', added.stderr);
  assert.match(added.stderr, /^feature cache: built 21 images/m);
});

test('with augmentation the cache holds fixed views, says so, and a run replays exactly from it', async () => {
  const home = await mkdtemp(join(tmpdir(), 'calibra-fcache-home-'));
  const first = await train(['--feature-cache-views', '2'], { CALIBRA_HOME: home });
  assert.equal(first.json!.featureCache, 'built', first.stderr);
  assert.match(first.stderr, /^feature cache: built \d+ images × 2 augmented views/m);
  const again = await train(['--feature-cache-views', '2'], { CALIBRA_HOME: home });
  assert.equal(again.json!.featureCache, 'hit', again.stderr);
  assert.equal(again.json!.contentHash, first.json!.contentHash);
  const three = await train(['--feature-cache-views', '3'], { CALIBRA_HOME: home });
  assert.equal(three.json!.featureCache, 'built', 'another number of views is another cache');
});

for (const point of ['feature-cache:filling', 'feature-cache:after-fill']) {
  test(`a cache build killed at ${point} is never read: the next run builds it again and clears the leftover`, async () => {
    const home = await mkdtemp(join(tmpdir(), 'calibra-fcache-home-'));
    const killed = await train(['--no-augment'], { CALIBRA_HOME: home, CALIBRA_KILL_AT: point });
    assert.equal(killed.code, -1, `killed by SIGKILL: ${killed.stderr}`);
    const left = await readdir(join(home, 'feature-cache'));
    assert.equal(left.length, 1);
    assert.match(left[0]!, /^\.[0-9a-f]{24}\.partial-\d+-[0-9a-f]{8}$/);
    const next = await train(['--no-augment'], { CALIBRA_HOME: home });
    assert.equal(next.json!.featureCache, 'built', next.stderr);
    assert.match(next.stderr, /removed .*partial write left by a killed process/);
    assert.deepEqual((await readdir(join(home, 'feature-cache'))).filter((n) => n.startsWith('.')), []);
  });
}

test('a build killed after its journal is complete: the next run finishes the swap and uses it', async () => {
  const home = await mkdtemp(join(tmpdir(), 'calibra-fcache-home-'));
  const killed = await train(['--no-augment'], { CALIBRA_HOME: home, CALIBRA_KILL_AT: 'feature-cache:after-journal' });
  assert.equal(killed.code, -1, killed.stderr);
  const next = await train(['--no-augment'], { CALIBRA_HOME: home });
  assert.equal(next.json!.featureCache, 'hit', next.stderr);
  assert.match(next.stderr, /finished an interrupted save/);
});

/** Exit 2 with the error as stderr's last line (notes on the model loaded may come before it). */
function refusal(r: CliResult): string {
  assert.equal(r.code, 2, r.stderr);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('calibra: '));
  assert.equal(errors.length, 1, r.stderr);
  assert.equal(r.stderr.trimEnd().split('\n').pop(), errors[0]);
  return errors[0]!;
}

test('--feature-cache on where the backbone trains is exit 2 saying why; the views flag needs augmentation', async () => {
  const trainable = refusal(await train(['--no-augment', '--feature-cache', 'on', '--freeze', 'none']));
  assert.match(trainable, /^calibra: --feature-cache on: cannot apply: '\w+' trains, so no frozen part precedes it/);
  const views = refusal(await train(['--no-augment', '--feature-cache-views', '3']));
  assert.match(views, /^calibra: --feature-cache-views 3: .*--no-augment/);
  const off = refusal(await train(['--feature-cache', 'off', '--feature-cache-views', '3']));
  assert.match(off, /^calibra: --feature-cache-views 3: .*--feature-cache is off/);
  const bad = refusal(await train(['--feature-cache', 'maybe']));
  assert.match(bad, /^calibra: --feature-cache: /);
  const auto = await train(['--no-augment', '--freeze', 'none', '--epochs', '1']);
  assert.equal(auto.code, 0, auto.stderr);
  assert.equal(auto.json!.featureCache, 'n/a');
  assert.doesNotMatch(auto.stderr, /feature cache/);
});
