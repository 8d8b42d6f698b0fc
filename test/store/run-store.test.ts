import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore, type RunRecord } from '../../src/store/run-store.js';
import { createRunRecorder } from '../../src/store/run-recorder.js';
import { withStoreLock } from '../../src/store/store-lock.js';
import { PACKAGE_ROOT } from '../../src/util/package-root.js';

const record = (id: string): RunRecord => ({
  id, command: 'train', status: 'finished', startedAt: '', finishedAt: '', seconds: 1, backend: 'wasm', config: {},
  epochs: [], result: null, error: null, lineage: { parentModel: null, dataset: null, outputModel: null },
});

const freshStore = async () => new RunStore(join(await mkdtemp(join(tmpdir(), 'calibra-store-')), 'fresh', 'home'));
const notInterrupted = { interrupted: () => false };

test('the recorder turns a run\'s events into one record with metrics and lineage', async () => {
  const store = await freshStore();
  const rec = createRunRecorder(store, notInterrupted);
  rec.sink({ type: 'RunStarted', command: 'train', backend: 'wasm', config: { data: '/d', parent: 'abc' }, totalSteps: 2, totalImages: 8 });
  rec.sink({ type: 'EpochEnded', epoch: 1, loss: 0.5, accuracy: 0.75, images: 8, seconds: 1, imagesPerSecond: 8 });
  rec.sink({ type: 'ValidationEnded', epoch: 1, accuracy: 0.5, n: 4 });
  rec.sink({ type: 'CheckpointSaved', path: '/out', contentHash: 'def' });
  rec.sink({ type: 'RunFinished', result: { dataset: 'ds1', val_accuracy: 0.5 } });
  rec.sink({ type: 'RunStarted', command: 'eval', backend: 'wasm', config: {}, totalSteps: 0, totalImages: 4 });
  rec.sink({ type: 'RunFailed', error: 'boom' });
  const ids = await rec.flush();
  assert.equal(ids.length, 2);
  const [train, failed] = await store.list();
  assert.deepEqual([train!.id, failed!.id], ids);
  assert.equal(train!.status, 'finished');
  assert.deepEqual(train!.epochs, [{ epoch: 1, loss: 0.5, accuracy: 0.75, imagesPerSecond: 8, images: 8, seconds: 1, valAccuracy: 0.5 }]);
  assert.deepEqual(train!.lineage, { parentModel: 'abc', dataset: 'ds1', outputModel: 'def' });
  assert.equal(failed!.status, 'failed');
  assert.equal(failed!.error, 'boom');
  assert.deepEqual((await store.find(train!.id.slice(0, 18))).map((r) => r.id), [train!.id]);
});

test('a run is in the store as running from its start, with this process and when it was last seen', async () => {
  const store = await freshStore();
  const rec = createRunRecorder(store, { ...notInterrupted, heartbeatMs: 0 });
  rec.sink({ type: 'RunStarted', command: 'train', backend: 'wasm', config: {}, totalSteps: 100, totalImages: 800 });
  assert.deepEqual(await rec.flush(), [], 'no run has ended');
  const [started] = await store.list();
  assert.equal(started!.status, 'running');
  assert.deepEqual([started!.process!.pid, started!.process!.host], [process.pid, hostname()]);
  await new Promise((r) => setTimeout(r, 20));
  rec.sink({ type: 'OptimizerStepped', step: 1, totalSteps: 100, imagesSeen: 8, totalImages: 800, loss: 1, accuracy: 0, imagesPerSecond: 8 });
  await rec.flush();
  const [beating] = await store.list();
  assert.equal(beating!.status, 'running');
  assert.ok(Date.parse(beating!.lastSeen!) > Date.parse(started!.lastSeen!), `${beating!.lastSeen} after ${started!.lastSeen}`);
});

test('a run that fails after the person asked to stop is recorded as stopped', async () => {
  const store = await freshStore();
  let interrupted = false;
  const rec = createRunRecorder(store, { interrupted: () => interrupted });
  rec.sink({ type: 'RunStarted', command: 'train', backend: 'wasm', config: {}, totalSteps: 100, totalImages: 800 });
  interrupted = true;
  rec.sink({ type: 'RunFailed', error: 'stopped by SIGINT' });
  await rec.flush();
  const [run] = await store.list();
  assert.deepEqual([run!.status, run!.error], ['stopped', 'stopped by SIGINT']);
});

test('a store that cannot be written fails flush, naming the store, and never the event stream', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'calibra-store-'));
  await writeFile(join(dir, 'not-a-folder'), '');
  const store = new RunStore(join(dir, 'not-a-folder', 'home'));
  const rec = createRunRecorder(store, notInterrupted);
  rec.sink({ type: 'RunStarted', command: 'eval', backend: 'wasm', config: {}, totalSteps: 0, totalImages: 4 });
  rec.sink({ type: 'RunFinished', result: {} });
  await assert.rejects(rec.flush(), (err: Error) => err.message.includes(store.file));
});

test('two processes adding runs at once lose none', async () => {
  const home = await mkdtemp(join(tmpdir(), 'calibra-store-'));
  const script = join(home, 'writer.mjs');
  const storeModule = join(PACKAGE_ROOT, 'dist', 'src', 'store', 'run-store.js');
  await writeFile(script, `
    import { RunStore } from ${JSON.stringify(storeModule)};
    const store = new RunStore(${JSON.stringify(home)});
    for (let i = 0; i < 25; i++) await store.put({ id: process.argv[2] + '-' + i, command: 'eval', status: 'finished', startedAt: '', finishedAt: '', seconds: 0, backend: 'cpu', config: {}, epochs: [], result: null, error: null, lineage: { parentModel: null, dataset: null, outputModel: null } });
  `);
  const run = (tag: string) => new Promise<number>((resolve) => spawn(process.execPath, [script, tag], { stdio: 'inherit' }).on('close', (c) => resolve(c ?? -1)));
  assert.deepEqual(await Promise.all([run('a'), run('b')]), [0, 0]);
  const runs = await new RunStore(home).list();
  assert.equal(runs.length, 50);
  assert.equal(JSON.parse(await readFile(join(home, 'runs.json'), 'utf8')).runs.length, 50, 'the file itself is whole');
});

test('a lock file left by a killed process of the old design is taken over', async () => {
  const home = await mkdtemp(join(tmpdir(), 'calibra-store-'));
  const target = join(home, 'runs.json');
  await writeFile(`${target}.lock`, '999999');
  const store = new RunStore(home);
  await store.put(record('after-crash'));
  assert.equal((await store.list())[0]!.id, 'after-crash');
  assert.equal(await withStoreLock(target, () => existsSync(`${target}.lock`)), true, 'the lock is held inside');
  assert.equal(existsSync(`${target}.lock`), false, 'and released after');
  assert.equal(JSON.parse(await readFile(target, 'utf8')).runs.length, 1);
});
