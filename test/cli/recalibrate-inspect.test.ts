// recalibrate, inspect and train --bn-stats reset through the real binary on tiny synthetic data.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibra } from '../helpers/cli.js';
import { tf } from '../../src/engine/tf.js';
import { loadModel } from '../../src/models/model-io.js';
import { leafLayers } from '../../src/models/layer-walk.js';
import { isBatchNorm } from '../../src/bn/batch-norm-layer.js';

await tf.setBackend('cpu');
const work = await mkdtemp(join(tmpdir(), 'calibra-adabn-'));

async function synth(domain: string, perClass: number, seed: number): Promise<string> {
  const out = join(work, `${domain}-${seed}`);
  const r = await calibra(['data', 'synth', '--domain', domain, '--out', out, '--per-class', String(perClass), '--seed', String(seed), '--json']);
  assert.equal(r.code, 0, r.stderr);
  return out;
}

async function bnStats(model: string): Promise<Map<string, { mean: number[]; variance: number[] }>> {
  const { model: m } = await loadModel(model);
  const stats = new Map(leafLayers(m).filter(isBatchNorm).map((l) => [l.name, { mean: Array.from(l.movingMean.read().dataSync()), variance: Array.from(l.movingVariance.read().dataSync()) }]));
  m.dispose();
  return stats;
}

const inverted = await synth('inverted', 3, 31);
const clean = await synth('clean', 3, 31);

test('recalibrate refuses fewer images than its floor, unknown groups and a folder with no images, naming the flag', async () => {
  const few = await calibra(['recalibrate', '--model', 'digits-resnet', '--images', inverted, '--out', join(work, 'never')]);
  assert.equal(few.code, 2, few.stderr);
  assert.match(few.stderr, /--images .*30 image\(s\), fewer than the 32 .*--min-images/);
  const bad = await calibra(['recalibrate', '--model', 'digits-resnet', '--images', inverted, '--out', join(work, 'never'), '--min-images', '1', '--groups', 'stem,block9']);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /--groups stem,block9: no group 'block9'.*stem, block1, block2, block3, head/);
  const empty = await mkdtemp(join(work, 'empty-'));
  const none = await calibra(['recalibrate', '--model', 'digits-resnet', '--images', empty, '--out', join(work, 'never')]);
  assert.equal(none.code, 2, none.stderr);
  assert.match(none.stderr, /--images .*no images/);
});

test('recalibrate --json reports the contract fields; the output loads, records its lineage and evaluates', async () => {
  const out = join(work, 'recal-exact');
  const r = await calibra(['recalibrate', '--model', 'digits-resnet', '--images', inverted, '--out', out, '--min-images', '30', '--batch', '7', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = r.json!;
  for (const key of ['images', 'skipped', 'mode', 'layers', 'backend', 'seconds', 'images_per_second', 'out', 'groups']) assert.ok(key in j, `missing ${key}`);
  assert.equal(j.images, 30);
  assert.deepEqual(j.skipped, []);
  assert.equal(j.mode, 'exact');
  assert.equal(j.layers, 9);
  assert.equal(j.out, out);
  assert.ok((j.images_per_second as number) > 0);
  assert.match(r.stderr, /BN 9\/9 block3_0_down_bn/);
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
  assert.match(manifest.bnStatistics, /^adabn-exact:[0-9a-f]{16}$/);
  assert.equal(manifest.bnStatistics.split(':')[1], manifest.lineage.dataset);
  assert.equal(manifest.recipe.mode, 'exact');
  assert.equal(manifest.recipe.images, 30);
  const ev = await calibra(['eval', '--model', out, '--data', inverted, '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  assert.equal(ev.json!.n, 30);
  const source = await calibra(['eval', '--model', 'digits-resnet', '--data', inverted, '--json']);
  assert.equal(manifest.lineage.parent, source.json!.modelHash);
  assert.notEqual(ev.json!.modelHash, source.json!.modelHash);
});

test('recalibrate --groups stem changes the stem BN only', async () => {
  const out = join(work, 'recal-stem');
  const r = await calibra(['recalibrate', '--model', 'digits-resnet', '--images', inverted, '--out', out, '--min-images', '30', '--mode', 'fast', '--groups', 'stem', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json!.layers, 1);
  assert.deepEqual(r.json!.groups, ['stem']);
  const [before, after] = [await bnStats('digits-resnet'), await bnStats(out)];
  for (const [name, s] of before) {
    if (name === 'stem_bn') assert.notDeepEqual(after.get(name), s);
    else assert.deepEqual(after.get(name), s, name);
  }
});

test('inspect: the digits model drifts more on inverted digits than on clean ones', async () => {
  const drift = async (dir: string) => {
    const r = await calibra(['inspect', '--model', 'digits-resnet', '--images', dir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const layers = r.json!.layers as { name: string; group: string; channels: number; drift: number; meanShift: number; varRatio: number }[];
    assert.equal(r.json!.images, 30);
    assert.equal(layers.length, 9);
    assert.deepEqual(Object.keys(layers[0]!).sort(), ['channels', 'drift', 'group', 'meanShift', 'name', 'varRatio']);
    assert.deepEqual([layers[0]!.name, layers[0]!.group, layers[0]!.channels], ['stem_bn', 'stem', 16]);
    assert.equal(typeof r.json!.advice, 'string');
    return { stem: layers[0]!.drift, mean: layers.reduce((s, l) => s + l.drift, 0) / layers.length, text: r.stdout, advice: r.json!.advice as string };
  };
  const [shifted, source] = [await drift(inverted), await drift(clean)];
  assert.ok(shifted.stem > 3 * source.stem, `stem drift: inverted ${shifted.stem}, clean ${source.stem}`);
  assert.ok(shifted.mean > 2 * source.mean, `mean drift: inverted ${shifted.mean}, clean ${source.mean}`);
  assert.match(shifted.advice, /recalibrate/);
  const table = await calibra(['inspect', '--model', 'digits-resnet', '--images', inverted]);
  assert.match(table.stdout, /^stem_bn\s+stem\s+16\s+█+·*\s+\d/m);
});

// Compares with the model the --json test above wrote (AdaBN exact, batches of 7, same images).
test('train --bn-stats reset starts from AdaBN exact statistics of the training images', async () => {
  const out = join(work, 'reset');
  // Momentum 1 keeps the moving averages where the reset put them through the one step.
  const tr = await calibra(['train', '--model', 'digits-resnet', '--data', inverted, '--out', out, '--bn-stats', 'reset', '--steps', '1', '--lr', '0', '--bn-momentum', '1', '--batch', '16', '--json']);
  assert.equal(tr.code, 0, tr.stderr);
  assert.match(tr.stderr, /--bn-stats reset: re-estimated 9 BN layer\(s\) on 30 training images/);
  const [reset, adabn, original] = [await bnStats(out), await bnStats(join(work, 'recal-exact')), await bnStats('digits-resnet')];
  for (const [name, s] of adabn) {
    const r = reset.get(name)!;
    s.mean.forEach((m, c) => assert.ok(Math.abs(r.mean[c]! - m) <= 1e-5 * Math.max(Math.abs(m), Math.sqrt(s.variance[c]!)), `${name} mean[${c}] ${r.mean[c]} vs ${m}`));
    s.variance.forEach((v, c) => assert.ok(Math.abs(r.variance[c]! - v) <= 1e-5 * v, `${name} variance[${c}] ${r.variance[c]} vs ${v}`));
    assert.notDeepEqual(r, original.get(name));
  }
});
