// The run history, eval's metrics and the output polish, through the real binary on tiny data.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { calibra } from '../helpers/cli.js';
import { PACKAGE_ROOT } from '../../src/util/package-root.js';

const work = await mkdtemp(join(tmpdir(), 'calibra-history-'));
const data = join(work, 'inverted');

interface EvalJson {
  accuracy: number;
  n: number;
  perClass: Record<string, { accuracy: number; n: number; precision: number; recall: number; f1: number }>;
  confusion: { classes: string[]; matrix: number[][] };
  errors: { path: string; true: string; predicted: string; probability: number }[];
  runId: string;
}

test('setup: a tiny labelled set', async () => {
  const r = await calibra(['data', 'synth', '--domain', 'inverted', '--out', data, '--per-class', '2', '--seed', '5', '--json']);
  assert.equal(r.code, 0, r.stderr);
});

let scored: EvalJson;

test('eval --json --errors: the confusion matrix, per-class P/R/F1 and the misclassified files agree with each other', async () => {
  const r = await calibra(['eval', '--model', 'digits-resnet', '--data', data, '--errors', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = r.json as unknown as EvalJson;
  scored = j;
  const { classes, matrix } = j.confusion;
  assert.deepEqual(classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(matrix.map((row) => row.reduce((a, b) => a + b, 0)), classes.map(() => 2), 'each row holds its class\'s 2 images');
  const hits = classes.reduce((s, _, i) => s + matrix[i]![i]!, 0);
  assert.equal(j.n, 20);
  assert.equal(j.accuracy, hits / 20);
  // Every off-diagonal count is a listed error, and every listed error is a real file of its class.
  assert.equal(j.errors.length, 20 - hits);
  assert.ok(j.errors.length > 0, 'the source model misreads some inverted digits');
  const cells = new Map<string, number>();
  for (const e of j.errors) {
    assert.ok(existsSync(e.path), e.path);
    assert.equal(basename(dirname(e.path)), e.true);
    assert.notEqual(e.predicted, e.true);
    assert.ok(e.probability >= 0.1 && e.probability <= 1, `the top probability of 10 classes is at least 1/10: ${e.probability}`);
    cells.set(`${e.true}>${e.predicted}`, (cells.get(`${e.true}>${e.predicted}`) ?? 0) + 1);
  }
  classes.forEach((t, i) => classes.forEach((p, k) => {
    if (i !== k) assert.equal(matrix[i]![k], cells.get(`${t}>${p}`) ?? 0, `true ${t}, predicted ${p}`);
  }));
  classes.forEach((c, i) => {
    const predicted = matrix.reduce((s, row) => s + row[i]!, 0);
    const precision = predicted === 0 ? 0 : matrix[i]![i]! / predicted;
    const recall = matrix[i]![i]! / 2;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    const s = j.perClass[c]!;
    assert.deepEqual([s.n, s.accuracy, s.recall], [2, recall, recall], c);
    assert.ok(Math.abs(s.precision - precision) < 1e-12 && Math.abs(s.f1 - f1) < 1e-12, `${c}: ${JSON.stringify(s)}`);
  });
});

test('eval on the terminal: per-class table, the matrix (10 classes) and one line per misclassified file', async () => {
  const r = await calibra(['eval', '--model', 'digits-resnet', '--data', data, '--errors']);
  assert.equal(r.code, 0, r.stderr);
  const j = scored;
  assert.match(r.stdout, /^accuracy \d+\.\d\d% on 20 images \(digits-resnet, /);
  assert.match(r.stdout, /\n {2}class +n +accuracy +precision +F1\n/);
  const matrixRows = r.stdout.split('\n').filter((l) => /^ {2}\d {10,}/.test(l));
  assert.deepEqual(matrixRows.map((l) => l.trim().split(/\s+/).slice(1).map(Number)), j.confusion.matrix);
  const errorLines = r.stdout.split('\n').filter((l) => /^ {2}\d\/\d+\.png /.test(l));
  assert.equal(errorLines.length, j.errors.length);
  assert.match(r.stdout, new RegExp(`\\nmisclassified: ${j.errors.length}\\n`));
  const noErrors = await calibra(['eval', '--model', 'digits-resnet', '--data', data, '--json']);
  assert.equal((noErrors.json as Record<string, unknown>).errors, undefined, 'without --errors the list is left out');
});

const trained: string[] = [];

test('train says "1 step", counts with separators, and says "saved" once', async () => {
  for (const lr of ['0.002', '0.005']) {
    const out = join(work, `model-${lr}`);
    const r = await calibra(['train', '--model', 'digits-resnet', '--data', data, '--steps', '1', '--batch', '4', '--lr', lr, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^trained 1 step \(4 images, \d+\.\d img\/s on \w+\)/);
    assert.equal(`${r.stdout}\n${r.stderr}`.match(/saved/g)?.length, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, new RegExp(`\\nsaved ${out.replace(/[.]/g, '\\.')} \\([0-9a-f]{16}\\)\\n`));
    trained.push(r.stderr.match(/recorded run (\S+)/)![1]!);
  }
});

test('runs list: a header, then one line per run in the order they ran, with model, data and headline figure', async () => {
  const json = await calibra(['runs', '--json']);
  const runs = (json.json!.runs as { id: string; command: string; status: string }[]);
  assert.deepEqual(runs.map((x) => x.command), ['eval', 'eval', 'eval', 'train', 'train']);
  assert.deepEqual(runs.slice(3).map((x) => x.id), trained);
  const r = await calibra(['runs']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^id +when +command +model +data +status +result$/);
  assert.equal(lines.length, 6);
  const train = lines[4]!.split(/\s{2,}/);
  assert.ok(trained[0]!.endsWith(train[0]!), `${train[0]} is the end of ${trained[0]}`);
  assert.match(train[1]!, /^\d\d-\d\d \d\d:\d\d$/);
  assert.deepEqual(train.slice(2, 6), ['train', 'digits-resnet', 'inverted', 'finished']);
  assert.match(train[6]!, /^train \d+\.\d%$/, 'no --val: the training accuracy stands for the run');
  assert.match(lines[1]!.split(/\s{2,}/)[6]!, /^acc \d+\.\d%$/);
});

test('runs show: config lines, the epoch table and lineage; a short id works', async () => {
  const list = (await calibra(['runs'])).stdout.trim().split('\n');
  const shortId = list[4]!.split(/\s+/)[0]!;
  const r = await calibra(['runs', 'show', shortId]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^run ${trained[0]}: train, finished\\n`));
  assert.match(r.stdout, /\n {2}lr: +0\.002\n/);
  assert.match(r.stdout, /\nepochs\n {2}epoch +loss +train acc +val acc +img\/s +time\n {6}1 +\d\.\d{4} +\d+\.\d% +— +\d+\.\d +\d+\.\d s\n/);
  assert.match(r.stdout, /\nlineage\n {2}parent model: +[0-9a-f]{16}\n/);
  const ambiguous = await calibra(['runs', 'show', '2']);
  assert.equal(ambiguous.code, 2);
  assert.match(ambiguous.stderr, /^calibra: runs show 2: 5 runs match; give more of the id$/m);
});

test('runs compare: the config diff and the figures side by side', async () => {
  const [a, b] = trained as [string, string];
  const r = await calibra(['runs', 'compare', a, b, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = r.json as { a: string; b: string; config: { key: string; a: unknown; b: unknown }[]; metrics: Record<string, { a: number | null; b: number | null }>; epochs: unknown[] };
  assert.deepEqual([j.a, j.b], [a, b]);
  assert.deepEqual(j.config.map((d) => d.key), ['lr', 'out']);
  assert.deepEqual(j.config[0], { key: 'lr', a: 0.002, b: 0.005 });
  assert.deepEqual(j.metrics.images, { a: 4, b: 4 });
  assert.deepEqual(j.metrics.epochs, { a: 1, b: 1 });
  assert.equal(j.epochs.length, 1);
  const text = await calibra(['runs', 'compare', a, b]);
  assert.match(text.stdout, /\nconfig\n +a +b\n {2}lr +0\.002 +0\.005\n/);
  assert.match(text.stdout, /\n {2}images +4 +4\n/);
  const missing = await calibra(['runs', 'compare', a]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /runs compare: give two run ids/);
});

test('--version and -V print the package version; with --json as {"version"}', async () => {
  const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  const plain = await calibra(['--version']);
  assert.equal(plain.code, 0);
  assert.equal(plain.stdout, `${version}\n`);
  const json = await calibra(['-V', '--json']);
  assert.deepEqual(json.json, { version });
  const help = await calibra(['--help']);
  assert.match(help.stdout, /img\/s +one figure per run: .*\n.*decoding included/);
});
