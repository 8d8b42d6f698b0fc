import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore, type ModelRecord } from '../../src/store/run-store.js';
import { InputError } from '../../src/errors.js';
import { storeProblem } from '../../src/store/run-record.js';

const record = (name: string, source: string): ModelRecord => ({
  name, path: `/zoo/${name}/model.json`, origin: 'add', source, addedAt: '2026-12-01T16:00:00.000Z', description: '',
  classes: ['a', 'b'], inputShape: [8, 8, 3], bnLayers: 1, contentHash: '0123456789abcdef', files: [{ path: 'model.json', bytes: 10, sha256: 'f'.repeat(64) }],
});

test('a store written before models existed keeps its runs and gains a models collection', async () => {
  const home = mkdtempSync(join(tmpdir(), 'calibra-store-models-'));
  const run = { id: 'r1', command: 'eval', status: 'finished', startedAt: 't', finishedAt: 't', seconds: 1, backend: 'wasm', config: {}, epochs: [], result: null, error: null, lineage: {} };
  writeFileSync(join(home, 'runs.json'), JSON.stringify({ version: 1, runs: [run] }));
  const store = new RunStore(home);
  assert.deepEqual(await store.models(), []);
  await store.registerModel(record('m', '/src/a'), false);
  const saved = JSON.parse(readFileSync(join(home, 'runs.json'), 'utf8'));
  assert.deepEqual(saved.runs.map((r: { id: string }) => r.id), ['r1']);
  assert.deepEqual(saved.models, [record('m', '/src/a')]);
  assert.equal(storeProblem(saved), null);
});

test('a second registration of a name is refused unless it overwrites, which replaces it in place', async () => {
  const store = new RunStore(mkdtempSync(join(tmpdir(), 'calibra-store-models-')));
  await store.registerModel(record('m', '/src/a'), false);
  await store.registerModel(record('n', '/src/n'), false);
  await assert.rejects(store.registerModel(record('m', '/src/b'), false), (e: Error) => e instanceof InputError && /^m: a model of that name is already registered \(\/zoo\/m\/model\.json\)/.test(e.message));
  assert.equal((await store.findModel('m'))!.source, '/src/a');
  await store.registerModel(record('m', '/src/b'), true);
  assert.deepEqual((await store.models()).map((m) => `${m.name} ${m.source}`), ['m /src/b', 'n /src/n']);
});

test('a models entry without its fields makes the store invalid, naming where', () => {
  assert.match(storeProblem({ version: 1, runs: [], models: [{ name: 'm' }] })!, /^not a Calibra run store \(models\.0\.path: Required/);
});
