import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { calibra } from '../helpers/cli.js';

const work = await mkdtemp(join(tmpdir(), 'calibra-predict-'));

test('predict ranks classes per file and folder, agrees with the labels on the source domain, and lists bad files', async () => {
  const data = join(work, 'clean');
  assert.equal((await calibra(['data', 'synth', '--domain', 'clean', '--out', data, '--per-class', '3', '--seed', '4'])).code, 0);
  await writeFile(join(data, '2', 'broken.png'), 'not a png');
  const r = await calibra(['predict', '--model', 'digits-resnet', data, join(data, '7', '0.png'), '--top', '3', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const predictions = r.json!.predictions as { path: string; class: string; probability: number; top: { class: string; probability: number }[] }[];
  assert.equal(predictions.length, 31, '30 images in the folder and one named file');
  const right = predictions.filter((p) => p.class === basename(dirname(p.path))).length;
  assert.ok(right >= 28, `${right}/31 match their folder`);
  for (const p of predictions) {
    assert.equal(p.top.length, 3);
    assert.equal(p.top[0]!.class, p.class);
    assert.ok(p.top[0]!.probability >= p.top[1]!.probability && p.top[1]!.probability >= p.top[2]!.probability);
    const sum = p.top.reduce((s, t) => s + t.probability, 0);
    assert.ok(sum <= 1 + 1e-5 && sum > 0.5, `top-3 mass ${sum}`);
  }
  assert.deepEqual((r.json!.skipped as { path: string }[]).map((s) => basename(s.path)), ['broken.png']);
});

test('predict without paths, or with a missing one, is a usage error naming it', async () => {
  const none = await calibra(['predict', '--model', 'digits-resnet']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /give one or more image files or folders/);
  const missing = await calibra(['predict', '--model', 'digits-resnet', join(work, 'nope.png')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.png: no such file or folder/);
});
