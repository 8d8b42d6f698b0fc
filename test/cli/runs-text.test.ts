import test from 'node:test';
import assert from 'node:assert/strict';
import { compareText, listText, showText, valueText } from '../../src/cli/runs-text.js';
import { compareRuns } from '../../src/store/compare-runs.js';
import type { RunRecord } from '../../src/store/run-record.js';

const base = (over: Partial<RunRecord>): RunRecord => ({
  id: '20260315-142233-ab12', command: 'train', status: 'finished', startedAt: '2026-03-15T14:22:33.000Z', finishedAt: '', seconds: 12.34,
  backend: 'wasm', config: {}, epochs: [], result: null, error: null, lineage: { parentModel: 'p1', dataset: 'd1', outputModel: 'o1' }, ...over,
});

const train = base({
  config: { model: 'digits-resnet', data: '/work/sets/inverted-train', lr: 0.001, bn: { default: { stats: 'update' } } },
  epochs: [
    { epoch: 1, loss: 0.5, accuracy: 0.75, imagesPerSecond: 80.24, valAccuracy: 0.5, images: 400, seconds: 4.98 },
    { epoch: 2, loss: 0.25, accuracy: 0.875, imagesPerSecond: 81.2, valAccuracy: 0.625 },
  ],
  result: { val_accuracy: 0.625, train_accuracy: 0.875, loss: 0.25, images: 800, images_per_second: 64.5, classes: Array.from({ length: 30 }, (_, i) => `class-${i}`) },
});
const evalRun = base({
  id: '20260315-150000-ab12', command: 'eval', startedAt: '2026-03-15T15:00:00.000Z', seconds: 2,
  config: { model: '/models/adapted/model.json', data: '/work/sets/inverted-test/' }, result: { accuracy: 0.9312, n: 1000 },
});
const recal = base({
  id: '20260315-160000-c0fe', command: 'recalibrate', startedAt: '2026-03-15T16:00:00.000Z',
  config: { model: 'digits-resnet', images: '/work/sets/unlabelled-target-images-from-camera-b' }, result: { images: 12345 },
});
const failed = base({ id: '20260315-170000-d00d', command: 'train', status: 'failed', result: null, error: 'out of memory', config: { model: 'digits-resnet', data: '/x/y' } });

test('runs list: a header, short ids, local times, names, status and each command\'s headline figure', () => {
  process.env.TZ = 'UTC';
  const lines = listText([train, { ...evalRun, id: '20260315-150000-e7a1' }, failed], 80).split('\n');
  assert.deepEqual(lines.map((l) => l.split(/\s{2,}/)), [
    ['id', 'when', 'command', 'model', 'data', 'status', 'result'],
    ['ab12', '03-15 14:22', 'train', 'digits-resnet', 'inverted-train', 'finished', 'val 62.5%'],
    ['e7a1', '03-15 15:00', 'eval', 'adapted', 'inverted-test', 'finished', 'acc 93.1%'],
    ['d00d', '03-15 14:22', 'train', 'digits-resnet', 'y', 'failed'],
  ]);
});

test('runs list fits 80 columns: long names are cut, the rest of a row is kept', () => {
  process.env.TZ = 'UTC';
  const lines = listText([train, evalRun, recal, failed], 80).split('\n');
  for (const l of lines) assert.ok(l.length <= 80, `${l.length} columns: ${l}`);
  const cells = lines.map((l) => l.split(/\s{2,}/));
  assert.deepEqual(cells.map((c) => c[0]), ['id', '3-ab12', '0-ab12', 'c0fe', 'd00d'], 'ab12 is shared, so those two show more of their ids');
  assert.deepEqual(cells[3]!.slice(5), ['finished', '12,345 images']);
  const data = cells[3]![4]!;
  assert.ok(data.endsWith('…') && 'unlabelled-target-images-from-camera-b'.startsWith(data.slice(0, -1)), data);
  assert.match(listText([recal]), /unlabelled-target-images-from-camera-b/, 'no width, no cut');
});

test('runs show: header, config as key: value lines, the epoch table, result and lineage', () => {
  process.env.TZ = 'UTC';
  const text = showText(train);
  assert.match(text, /^run 20260315-142233-ab12: train, finished\n {2}started 03-15 14:22, 12\.3 s on wasm\n/);
  assert.match(text, /\nconfig\n {2}model: +digits-resnet\n {2}data: +\/work\/sets\/inverted-train\n {2}lr: +0\.001\n {2}bn\.default\.stats: +update\n/);
  assert.match(text, /\nepochs\n {2}epoch +loss +train acc +val acc +img\/s +time\n {6}1 +0\.5000 +75\.0% +50\.0% +80\.2 +5\.0 s\n {6}2 +0\.2500 +87\.5% +62\.5% +81\.2 +—\n/);
  assert.match(text, /\n {2}classes: +30 items \(see --json\)\n/);
  assert.match(text, /\nlineage\n {2}parent model: +p1\n {2}dataset: +d1\n {2}output model: +o1$/);
  assert.match(showText(failed), /\n {2}error: out of memory\n/);
  assert.equal(valueText(1234567), '1,234,567');
  assert.equal(valueText(0.123456789), '0.123457');
});

test('compareRuns pairs the figures and the epochs of two runs', () => {
  const other = base({ ...train, id: 'b', config: { ...train.config, lr: 0.01 }, seconds: 20, epochs: [train.epochs[0]!], result: { ...train.result, val_accuracy: 0.7, images_per_second: 40 } });
  const c = compareRuns(train, other);
  assert.deepEqual(c.config, [{ key: 'lr', a: 0.001, b: 0.01 }]);
  assert.deepEqual(c.metrics.val_accuracy, { a: 0.625, b: 0.7 });
  assert.deepEqual(c.metrics.images_per_second, { a: 64.5, b: 40 });
  assert.deepEqual(c.metrics.seconds, { a: 12.34, b: 20 });
  assert.deepEqual(c.metrics.epochs, { a: 2, b: 1 });
  assert.equal(c.metrics.accuracy, undefined, 'neither run has it');
  assert.deepEqual(c.epochs.map((p) => [p.epoch, p.a?.loss ?? null, p.b?.loss ?? null]), [[1, 0.5, 0.5], [2, 0.25, null]]);
  const text = compareText(train, other, c);
  assert.match(text, /\nconfig\n +a +b\n {2}lr +0\.001 +0\.01\n/);
  assert.match(text, /\n {2}val accuracy +62\.5% +70\.0%\n/);
  assert.match(text, /\n {6}2 +0\.2500 +87\.5% +62\.5% +— +— +—$/);
  const withEval = compareRuns(train, evalRun);
  assert.deepEqual(withEval.metrics.accuracy, { a: null, b: 0.9312 });
  assert.deepEqual(withEval.metrics.images, { a: 800, b: 1000 });
});
