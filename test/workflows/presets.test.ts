// Each training preset runs end to end through `calibra run` on tiny synthetic sets, and does
// what its header says.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibra } from '../helpers/cli.js';
import { PRETRAINED_DIR } from '../../src/models/zoo.js';

const work = await mkdtemp(join(tmpdir(), 'calibra-presets-'));
for (const [name, seed] of [['train', 1], ['val', 2]] as const) {
  const r = await calibra(['data', 'synth', '--domain', 'inverted', '--out', join(work, name), '--per-class', '3', '--seed', String(seed), '--json']);
  assert.equal(r.code, 0, r.stderr);
}
const parentManifest = JSON.parse(await readFile(join(PRETRAINED_DIR, 'digits-resnet', 'manifest.json'), 'utf8'));

async function runPreset(preset: string, sets: string[]) {
  const r = await calibra(['run', `workflows/${preset}.yaml`, '--set', `train=${join(work, 'train')}`, '--set', `val=${join(work, 'val')}`, '--set', `work=${work}`, '--set', 'epochs=1', ...sets.flatMap((s) => ['--set', s]), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const steps = r.json!.steps as { name: string; kind: string; result: Record<string, unknown> }[];
  const trained = steps.find((s) => s.kind === 'train')!.result;
  const manifest = JSON.parse(await readFile(join(trained.out as string, 'manifest.json'), 'utf8'));
  return { r, trained, manifest };
}

test('feature-extraction trains only the head, BN untouched, and keeps the best epoch', async () => {
  const { trained, manifest } = await runPreset('feature-extraction', []);
  assert.deepEqual(trained.trainable_groups, ['head']);
  assert.equal(trained.trainable_params, 64 * 10 + 10, 'the dense head over 64 pooled channels');
  assert.equal(manifest.bnStatistics, parentManifest.bnStatistics, 'BN statistics are still the parent\'s');
  assert.equal(trained.keep, 'best');
  assert.equal(trained.kept_epoch, 1);
});

test('full-finetune trains every group with AdamW, cosine after warm-up, and label smoothing', async () => {
  // 30 images in batches of 8 make 4 steps, so a warm-up of 2 fits in the one epoch.
  const { trained, manifest } = await runPreset('full-finetune', ['warmup=2', 'batch=8']);
  assert.deepEqual(trained.trainable_groups, ['stem', 'block1', 'block2', 'block3', 'head']);
  assert.equal(trained.steps, 4);
  const { optimizer, schedule, warmup, weightDecay, labelSmoothing } = manifest.recipe;
  assert.deepEqual({ optimizer, schedule, warmup, weightDecay, labelSmoothing }, { optimizer: 'adamw', schedule: 'cosine', warmup: 2, weightDecay: 0.05, labelSmoothing: 0.1 });
  assert.match(manifest.bnStatistics, /^fine-tune:/);
  const tooLong = await calibra(['run', 'workflows/full-finetune.yaml', '--set', `train=${join(work, 'train')}`, '--set', `val=${join(work, 'val')}`, '--set', `work=${work}`, '--set', 'epochs=1']);
  assert.equal(tooLong.code, 2, 'the default warm-up of 10 steps is longer than this one-step run');
  assert.match(tooLong.stderr, /--warmup 10: the run makes only 1 optimizer steps/);
});

test('small-batch-accumulation steps once per 4 passes of 8, with BN statistics frozen and no warning', async () => {
  const { trained, manifest, r } = await runPreset('small-batch-accumulation', []);
  assert.equal(trained.steps, 1, '30 images: passes of 8, 8, 8 and 6 make one step');
  assert.equal(trained.images, 30);
  assert.equal(manifest.bnStatistics, parentManifest.bnStatistics);
  assert.deepEqual([manifest.recipe.batch, manifest.recipe.accum, manifest.recipe.bnStats], [8, 4, 'freeze']);
  assert.doesNotMatch(r.stderr, /warning: --accum/);
});

test('gradual-unfreeze runs its three stages in one run, unfreezing group by group', async () => {
  const { trained, r } = await runPreset('gradual-unfreeze', ['headEpochs=1']);
  assert.equal(trained.epochs_run, 3);
  assert.equal(trained.steps, 3, 'one step per stage');
  assert.match(r.stderr, /stage 1 \(1 epoch at lr 0\.003\): training groups head:/);
  assert.match(r.stderr, /stage 2 \(1 epoch at lr 0\.001\): training groups block2, block3, head:/);
  assert.match(r.stderr, /stage 3 \(1 epoch at lr 0\.001\): training groups stem, block1, block2, block3, head:/);
  assert.deepEqual(trained.trainable_groups, ['stem', 'block1', 'block2', 'block3', 'head']);
  const runs = await calibra(['runs', '--json']);
  const train = (runs.json!.runs as { command: string; epochs: { epoch: number }[] }[]).filter((x) => x.command === 'train').pop()!;
  assert.deepEqual(train.epochs.map((e) => e.epoch), [1, 2, 3], 'the store records one run of three epochs');
});
