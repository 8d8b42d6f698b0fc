// Zero-shot through the CLI: an ImageNet model scored on ants/bees with --class-map, checked
// against a plain forward pass of the unmodified model, and a class-map head trained with a
// zero learning rate scoring exactly the same.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/engine/tf.js';
import { initEngine } from '../../src/engine/backend.js';
import { loadModel } from '../../src/models/model-io.js';
import { ImageLoader } from '../../src/data/load-image.js';
import { loadLabelledDataset } from '../../src/data/dataset.js';
import { calibra } from '../helpers/cli.js';
import { DARKNET_TINY, HYMENOPTERA } from '../helpers/assets.js';

const VAL = join(HYMENOPTERA, 'val');
const ANT = 223, BEE = 629;

/** Correct count per folder from the full 1000 logits: ant wins over bee, or the reverse. */
async function independentZeroShot(): Promise<{ ants: number; bees: number; n: number }> {
  await initEngine('native');
  const { model } = await loadModel(DARKNET_TINY);
  const ds = await loadLabelledDataset(VAL);
  const loader = new ImageLoader({ size: [224, 224], mode: 'squash' });
  const right = { ants: 0, bees: 0, n: 0 };
  for (const item of ds.items) {
    const img = await loader.load(item.path);
    if (!img.ok) continue;
    const logits = tf.tidy(() => (model.predict(tf.tensor4d(Float32Array.from(img.pixels, (p) => p / 255), [1, 224, 224, 3])) as tf.Tensor).dataSync());
    const folder = ds.classNames[item.label] as 'ants' | 'bees';
    right.n++;
    if ((logits[ANT]! > logits[BEE]! ? 'ants' : 'bees') === folder) right[folder]++;
  }
  model.dispose();
  return right;
}

test('eval --class-map reproduces darknet-tiny\'s zero-shot accuracy, and a zero-rate class-map head keeps it', async () => {
  const expected = await independentZeroShot();
  assert.equal(expected.n, 153);
  const zeroShot = await calibra(['eval', '--model', DARKNET_TINY, '--data', VAL, '--class-map', 'ants=ant,bees=bee', '--json']);
  assert.equal(zeroShot.code, 0, zeroShot.stderr);
  const z = zeroShot.json as { accuracy: number; n: number; perClass: Record<string, { accuracy: number; n: number }> };
  assert.equal(z.n, 153);
  assert.equal(z.accuracy, (expected.ants + expected.bees) / 153);
  assert.equal(z.perClass.ants!.accuracy * z.perClass.ants!.n, expected.ants);
  assert.ok(Math.abs(z.accuracy - 0.935) <= 1.5 / 153, `within about one image of the known 93.5%: ${z.accuracy}`);
  assert.match(zeroShot.stderr, /preprocessing: \[0,1\] from the recognised architecture \(darknet\)/);

  const out = join(await mkdtemp(join(tmpdir(), 'calibra-zeroshot-')), 'model');
  const train = await calibra(['train', '--model', DARKNET_TINY, '--data', join(HYMENOPTERA, 'train'), '--class-map', 'ants=ant,bees=bee',
    '--steps', '1', '--batch', '2', '--lr', '0', '--freeze', 'backbone', '--no-augment', '--out', out, '--json']);
  assert.equal(train.code, 0, train.stderr);
  assert.deepEqual((train.json as { classes: string[] }).classes, ['ants', 'bees']);
  assert.match(train.stderr, /new head: 2 classes from the classifier's rows ants←ant, bees←bee/);
  const again = await calibra(['eval', '--model', out, '--data', VAL, '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(pick(again.json!), pick(zeroShot.json!));
  assert.match(again.stderr, /preprocessing: \[0,1\] from the Calibra manifest/);
});

const pick = (j: Record<string, unknown>) => ({ accuracy: j.accuracy, n: j.n, perClass: j.perClass });
