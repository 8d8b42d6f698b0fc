// A shortened scripts/real-photos.ts: darknet-tiny on the ants/bees val photos through the real
// CLI with the ImageNet evaluation crop, zero-shot and after a few steps of a class-map head,
// and AdaBN keeping the resize mode it measured with.
import test from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibra } from '../helpers/cli.js';
import { DARKNET_TINY, HYMENOPTERA } from '../helpers/assets.js';

const VAL = join(HYMENOPTERA, 'val');
const CROP = ['--preprocess', 'center-crop-0.875'];
const CLASS_MAP = ['--class-map', 'ants=ant,bees=bee'];

interface Scored { accuracy: number; n: number }

async function manifestResize(dir: string): Promise<unknown> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { preprocessing: { resize: unknown } };
  return manifest.preprocessing.resize;
}

test('darknet-tiny zero-shot with the eval crop scores at least 0.94 of val, and a few-step class-map head keeps most of it', async (t) => {
  const zeroShot = await calibra(['eval', '--model', DARKNET_TINY, '--data', VAL, ...CLASS_MAP, ...CROP, '--json']);
  assert.equal(zeroShot.code, 0, zeroShot.stderr);
  const z = zeroShot.json as unknown as Scored;
  assert.equal(z.n, 153);
  assert.ok(z.accuracy >= 0.94, `zero-shot ${z.accuracy} (${Math.round(z.accuracy * 153)}/153)`);
  t.diagnostic(`zero-shot: ${Math.round(z.accuracy * 153)}/153`);
  assert.match(zeroShot.stderr, /preprocessing: \[0,1\] from the recognised architecture \(darknet\); resize center-crop-0\.875 from --preprocess/);

  const out = join(await mkdtemp(join(tmpdir(), 'calibra-ants-bees-')), 'head');
  const train = await calibra(['train', '--model', DARKNET_TINY, '--data', join(HYMENOPTERA, 'train'), ...CLASS_MAP, ...CROP,
    '--freeze', 'backbone', '--bn-stats', 'freeze', '--steps', '3', '--batch', '8', '--lr', '0.003',
    '--optimizer', 'adamw', '--weight-decay', '0.01', '--schedule', 'cosine', '--label-smoothing', '0.1', '--seed', '0', '--out', out, '--json']);
  assert.equal(train.code, 0, train.stderr);
  assert.equal(await manifestResize(out), 'center-crop-0.875', 'the trained model reads images as it was trained');
  const tuned = await calibra(['eval', '--model', out, '--data', VAL, '--json']);
  assert.equal(tuned.code, 0, tuned.stderr);
  const h = tuned.json as unknown as Scored;
  assert.equal(h.n, 153);
  t.diagnostic(`after 3 steps: ${Math.round(h.accuracy * 153)}/153`);
  assert.ok(h.accuracy >= 0.85, `a head started from the ant and bee rows stays far above chance (0.54 for all bees): ${h.accuracy}`);
});

test('recalibrate --preprocess measures with that resize mode and saves it in the manifest', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'calibra-adabn-crop-'));
  const images = join(tmp, 'images');
  await mkdir(images);
  const ants = (await readdir(join(VAL, 'ants'))).sort().slice(0, 4);
  for (const f of ants) await copyFile(join(VAL, 'ants', f), join(images, f));
  const out = join(tmp, 'model');
  const r = await calibra(['recalibrate', '--model', DARKNET_TINY, '--images', images, '--out', out, '--groups', 'stem', '--min-images', '4', ...CROP, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /resize center-crop-0\.875 from --preprocess/);
  assert.equal(await manifestResize(out), 'center-crop-0.875');
  const bad = await calibra(['recalibrate', '--model', DARKNET_TINY, '--images', images, '--out', join(tmp, 'other'), '--preprocess', 'crop', '--json']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr + bad.stdout, /preprocess/);
});
