// The AdaBN presets run end to end through `calibra run` on tiny synthetic sets: statistics are
// recalibrated on the unlabelled pool, and the head-only preset then trains only the head on top
// of them without moving them again.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibra } from '../helpers/cli.js';

const work = await mkdtemp(join(tmpdir(), 'calibra-adabn-presets-'));
const sets = { pool: ['inverted', 4, 1], train: ['inverted', 3, 2], test: ['inverted', 3, 3] } as const;
for (const [name, [domain, perClass, seed]] of Object.entries(sets)) {
  const r = await calibra(['data', 'synth', '--domain', domain, '--out', join(work, name), '--per-class', String(perClass), '--seed', String(seed)]);
  assert.equal(r.code, 0, r.stderr);
}

type Step = { name: string; kind: string; result: Record<string, unknown> };
const byName = (steps: Step[], name: string) => steps.find((s) => s.name === name)!.result;

test('adabn-only recalibrates every BN layer on the pool and evaluates before and after', async () => {
  const out = join(work, 'only');
  const r = await calibra(['run', 'workflows/adabn-only.yaml', '--set', `images=${join(work, 'pool')}`, '--set', `test=${join(work, 'test')}`, '--set', `out=${out}`, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const steps = r.json!.steps as Step[];
  assert.deepEqual(steps.map((s) => s.kind), ['eval', 'inspect', 'recalibrate', 'eval']);
  const recal = byName(steps, 'recalibrate');
  assert.deepEqual([recal.images, recal.layers, recal.mode], [40, 9, 'exact']);
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
  assert.match(manifest.bnStatistics, /^adabn-exact:/);
  // On inverted digits the source model is near chance; its own statistics are what fails it.
  assert.ok((byName(steps, 'after').accuracy as number) > (byName(steps, 'source-only').accuracy as number) + 0.1);
  assert.equal(byName(steps, 'drift').adviceKind, 'everywhere');
});

test('adabn-then-head trains only the head on the recalibrated model and keeps its statistics', async () => {
  const r = await calibra(['run', 'workflows/adabn-then-head.yaml', '--set', `images=${join(work, 'pool')}`, '--set', `train=${join(work, 'train')}`,
    '--set', `test=${join(work, 'test')}`, '--set', `work=${join(work, 'head')}`, '--set', 'epochs=1', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const steps = r.json!.steps as Step[];
  assert.deepEqual(steps.map((s) => s.kind), ['eval', 'recalibrate', 'eval', 'train', 'eval']);
  assert.deepEqual(byName(steps, 'head').trainable_groups, ['head']);
  const recalibrated = JSON.parse(await readFile(join(work, 'head', 'recalibrated', 'manifest.json'), 'utf8'));
  const tuned = JSON.parse(await readFile(join(work, 'head', 'head-tuned', 'manifest.json'), 'utf8'));
  assert.equal(tuned.bnStatistics, recalibrated.bnStatistics, 'the head fine-tune leaves the AdaBN statistics as they were');
  assert.equal(tuned.lineage.parent, recalibrated.contentHash);
});
