// A save killed (SIGKILL, injected at each of its steps) never costs the model at --out: the next
// command finds it complete, old or new, loadable, with no leftovers beside it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { calibra, type CliResult } from '../helpers/cli.js';
import { manifestOf, tinyDigits, trainArgs, workDir } from './outputs-fixtures.js';

const work = await workDir('save-kill');
const data = await tinyDigits(join(work, 'data'));
const base = join(work, 'base');
const trained = await calibra(trainArgs('digits-resnet', data, base, '--seed', '1'));
assert.equal(trained.code, 0, trained.stderr);

const hidden = async (dir: string) => (await readdir(dir)).filter((n) => n.startsWith('.'));

/** The content hash recomputed here, the way the manifest defines it, from the files on disk. */
async function hashOnDisk(dir: string): Promise<string> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  return createHash('sha256').update(JSON.stringify(json.modelTopology)).update(await readFile(join(dir, 'weights.bin'))).digest('hex').slice(0, 16);
}

/** A folder holding a copy of the seed-1 model at `model`, and a train run killed at `point` while replacing it with a seed-2 model. */
async function killedSave(point: string, folder = point.replace(/\W/g, '-')): Promise<{ parent: string; out: string; killed: CliResult }> {
  const parent = join(work, folder);
  const out = join(parent, 'model');
  await mkdir(parent);
  await cp(base, out, { recursive: true });
  const killed = await calibra(trainArgs('digits-resnet', data, out, '--seed', '2', '--overwrite'), { CALIBRA_KILL_AT: point });
  return { parent, out, killed };
}

const POINTS = [
  { point: 'save:filling', seed: 1 },
  { point: 'save:after-fill', seed: 1 },
  { point: 'save:after-journal', seed: 2 },
  { point: 'save:between-renames', seed: 2 },
  { point: 'save:after-renames', seed: 2 },
  { point: 'save:before-journal-removal', seed: 2 },
];

for (const { point, seed } of POINTS) {
  test(`killed at ${point}: the next command leaves the ${seed === 1 ? 'old' : 'new'} model whole and nothing beside it`, async () => {
    const { parent, out, killed } = await killedSave(point);
    assert.equal(killed.code, -1, `killed by a signal, not exited: ${killed.stderr}`);
    assert.ok((await hidden(parent)).length > 0, 'the kill left the save unfinished');
    if (point === 'save:between-renames') assert.deepEqual((await readdir(parent)).filter((n) => !n.startsWith('.')), [], '--out itself is gone until recovery');
    const ev = await calibra(['eval', '--model', out, '--data', data, '--json']);
    assert.equal(ev.code, 0, ev.stderr);
    const notes = ev.stderr.split('\n').filter((l) => /interrupted save|left by a killed process/.test(l));
    assert.ok(notes.length >= 1 && notes.every((l) => l.includes(parent)), ev.stderr);
    assert.equal(ev.json!.n, 20);
    assert.deepEqual(await hidden(parent), [], 'no partial, old copy or journal remains');
    assert.deepEqual((await readdir(out)).sort(), ['manifest.json', 'model.json', 'weights.bin']);
    const manifest = await manifestOf(out);
    assert.equal(manifest.recipe.seed, seed);
    assert.equal(manifest.contentHash, await hashOnDisk(out));
    assert.equal(ev.json!.modelHash, manifest.contentHash);
  });
}

test('a command writing a sibling output recovers a killed save in the same folder', async () => {
  const { parent, out } = await killedSave('save:between-renames', 'sibling');
  const r = await calibra(trainArgs('digits-resnet', data, join(parent, 'other')));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /finished an interrupted save: .*\/model now holds the new version/);
  assert.equal((await manifestOf(out)).recipe.seed, 2);
  assert.deepEqual(await hidden(parent), []);
});

test('a partial write of a live process is left alone; once it is gone, it is removed', async () => {
  const parent = join(work, 'live');
  await cp(base, join(parent, 'model'), { recursive: true });
  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  const partial = `.model.partial-${sleeper.pid}-0123abcd`;
  await mkdir(join(parent, partial));
  const whileAlive = await calibra(['eval', '--model', join(parent, 'model'), '--data', data]);
  assert.equal(whileAlive.code, 0, whileAlive.stderr);
  assert.deepEqual(await hidden(parent), [partial]);
  const exited = new Promise((resolve) => sleeper.on('exit', resolve));
  sleeper.kill('SIGKILL');
  await exited;
  const after = await calibra(['eval', '--model', join(parent, 'model'), '--data', data]);
  assert.equal(after.code, 0, after.stderr);
  assert.match(after.stderr, new RegExp(`removed .*${partial.replace(/\./g, '\\.')}, a partial write left by a killed process ${sleeper.pid}`));
  assert.deepEqual(await hidden(parent), []);
});

test('a killed data synth --overwrite is finished by the next command that reads the set', async () => {
  const set = join(work, 'sets', 'digits');
  const args = ['data', 'synth', '--domain', 'clean', '--out', set, '--size', '16'];
  assert.equal((await calibra([...args, '--per-class', '1'])).code, 0);
  const killed = await calibra([...args, '--per-class', '2', '--overwrite'], { CALIBRA_KILL_AT: 'save:between-renames' });
  assert.equal(killed.code, -1, killed.stderr);
  const ev = await calibra(['eval', '--model', 'digits-resnet', '--data', set, '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  assert.match(ev.stderr, /finished an interrupted save/);
  assert.equal(ev.json!.n, 20, 'the two-per-class set is in place');
  assert.deepEqual(await hidden(join(work, 'sets')), []);
});
