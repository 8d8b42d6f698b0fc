// eval --bn-check, train's BN check and calibra adapt (TENT), through the real binary on the
// shipped digits model.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibra } from '../helpers/cli.js';
import { PRETRAINED_DIR } from '../../src/models/zoo.js';

const work = await mkdtemp(join(tmpdir(), 'calibra-tent-'));

async function synth(domain: string, perClass: number, seed: number): Promise<string> {
  const out = join(work, `${domain}-${seed}`);
  const r = await calibra(['data', 'synth', '--domain', domain, '--out', out, '--per-class', String(perClass), '--seed', String(seed), '--json']);
  assert.equal(r.code, 0, r.stderr);
  return out;
}

interface BnCheckJson { batchStatsAccuracy: number; movingStatsAccuracy: number; gap: number; n: number; batch: number; seed: number; advice: string | null }

test('eval --bn-check: on a shifted domain batch statistics beat the moving ones, with advice; on the source they agree', async () => {
  const shifted = await synth('low-contrast', 5, 2);
  const r = await calibra(['eval', '--model', 'digits-resnet', '--data', shifted, '--bn-check', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const check = r.json!.bnCheck as BnCheckJson;
  assert.equal(check.n, 50);
  assert.equal(check.movingStatsAccuracy, r.json!.accuracy, 'the moving-statistics figure is the plain eval accuracy');
  assert.ok(check.batchStatsAccuracy > check.movingStatsAccuracy + 0.05, JSON.stringify(check));
  assert.ok(Math.abs(check.gap - (check.batchStatsAccuracy - check.movingStatsAccuracy)) < 1e-12);
  assert.match(check.advice ?? '', /calibra recalibrate --model digits-resnet --images /);
  assert.match(r.stderr, /warning: with batch statistics the model scores/);
  const source = await synth('clean', 5, 2);
  const s = await calibra(['eval', '--model', 'digits-resnet', '--data', source, '--bn-check', '--json']);
  assert.equal(s.code, 0, s.stderr);
  const sc = s.json!.bnCheck as BnCheckJson;
  assert.ok(Math.abs(sc.gap) <= 0.05 && sc.advice === null, JSON.stringify(sc));
  const plain = await calibra(['eval', '--model', 'digits-resnet', '--data', source, '--json']);
  assert.equal(plain.json!.bnCheck, undefined, 'only on request');
});

test('adapt --method tent writes a loadable model with lineage; bad method and an existing --out are exit 2', async () => {
  const images = await synth('low-contrast', 2, 1);
  const out = join(work, 'tent-model');
  const r = await calibra(['adapt', '--method', 'tent', '--model', 'digits-resnet', '--images', images, '--out', out, '--batch', '10', '--steps', '3', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json!.method, 'tent');
  assert.equal(r.json!.images, 20);
  assert.equal(r.json!.steps, 3);
  assert.equal(r.json!.bn_layers, 9);
  assert.equal(r.json!.trainable_params, 2 * (16 + 16 + 16 + 32 + 32 + 32 + 64 + 64 + 64), 'gamma and beta of the 9 BN layers');
  assert.doesNotMatch(r.stderr, /train acc/, 'no accuracy without labels');
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { recipe: { command: string; method: string }; lineage: { parent: string }; contentHash: string };
  const parent = JSON.parse(await readFile(join(PRETRAINED_DIR, 'digits-resnet', 'manifest.json'), 'utf8')) as { contentHash: string };
  assert.equal(manifest.recipe.command, 'adapt');
  assert.equal(manifest.recipe.method, 'tent');
  assert.equal(manifest.lineage.parent, parent.contentHash);
  assert.equal(manifest.contentHash, r.json!.contentHash);
  const ev = await calibra(['eval', '--model', out, '--data', images, '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  assert.equal(ev.json!.n, 20);

  const again = await calibra(['adapt', '--model', 'digits-resnet', '--images', images, '--out', out, '--steps', '1']);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /--out .*pass --overwrite/);
  const bad = await calibra(['adapt', '--method', 'shot', '--model', 'digits-resnet', '--images', images, '--out', join(work, 'x')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--method: Invalid enum value/);
  assert.equal(bad.stderr.trim().split('\n').length, 1, 'one line');
});

test('train reports its BN check after training, on --val', async () => {
  const data = await synth('low-contrast', 2, 3);
  const val = await synth('low-contrast', 2, 4);
  const r = await calibra(['train', '--model', 'digits-resnet', '--data', data, '--val', val, '--out', join(work, 'trained'), '--steps', '1', '--batch', '20', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const check = r.json!.bnCheck as BnCheckJson;
  assert.equal(check.n, 20);
  assert.equal(check.movingStatsAccuracy, r.json!.val_accuracy, 'the moving-statistics figure is the validation accuracy');
  assert.equal(check.batch, 64);
  assert.ok(check.batchStatsAccuracy >= 0 && check.batchStatsAccuracy <= 1);
});
