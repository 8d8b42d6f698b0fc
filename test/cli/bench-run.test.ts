import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibra } from '../helpers/cli.js';

test('bench --json reports each case and backend in the contract shape; --profile adds the step\'s parts', async () => {
  const r = await calibra(['bench', '--case', 'digits-train-full', '--backends', 'wasm', '--seconds', '0.5', '--repeat', '1', '--no-torch', '--profile', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const cases = r.json!.cases as Record<string, unknown>[];
  assert.equal(cases.length, 1);
  const [row] = cases;
  assert.equal(row!.name, 'digits-train-full');
  assert.equal(row!.backend, 'wasm');
  assert.ok((row!.images_per_second as number) > 0);
  assert.equal(row!.torch_images_per_second, null);
  assert.equal(row!.ratio, null);
  const profile = row!.profile as { steps: number; stepMs: number; kernels: { kernel: string; ms: number }[] };
  const breakdown = row!.breakdown as { calibra: Record<string, number>; torch: null };
  assert.equal(profile.steps, 5);
  assert.equal(breakdown.torch, null, 'no PyTorch side without PyTorch');
  const convolutionKernels = profile.kernels.filter((k) => /Conv2D/.test(k.kernel)).reduce((s, k) => s + k.ms, 0);
  assert.ok(Math.abs(breakdown.calibra.convolution! - convolutionKernels) < 1e-9 && convolutionKernels > 0);
  assert.ok(Math.abs(breakdown.calibra.framework! - (profile.stepMs - profile.kernels.reduce((s, k) => s + k.ms, 0))) < 1e-6);
  const bad = await calibra(['bench', '--case', 'resnet-9000']);
  assert.equal(bad.code, 2);
});

test('bench lists the exact-recalibration case, and skips it with the reason where the shared assets are not', async () => {
  const help = await calibra(['bench', '--help']);
  assert.match(help.stdout, /^ {2}mnv2-tm-adabn-exact +MobileNetV2-0\.35 .*recalibrate --mode exact/m);
  const r = await calibra(['bench', '--case', 'mnv2-tm-adabn-exact', '--backends', 'native,wasm', '--no-torch', '--json'], { CALIBRA_SHARED_ASSETS: '/nonexistent/assets' });
  assert.equal(r.code, 0, r.stderr);
  const rows = r.json!.cases as Record<string, unknown>[];
  assert.deepEqual(rows.map((row) => row.backend), ['native', 'wasm']);
  for (const row of rows) {
    assert.equal(row.name, 'mnv2-tm-adabn-exact');
    assert.equal(row.images_per_second, null);
    assert.equal(row.ratio, null);
    assert.equal(row.error, undefined, 'a missing asset is not a failure');
    assert.match(row.skipped as string, /^\/nonexistent\/assets\/models\/mobilenet-v2-0\.35-tm not found/);
  }
});

test('run executes the quickstart preset with --set overrides', async () => {
  const work = join(await mkdtemp(join(tmpdir(), 'calibra-run-')), 'qs');
  const small = ['--set', `work=${work}`, '--set', 'pool=4', '--set', 'labelled=2', '--set', 'epochs=1'];
  const r = await calibra(['run', 'workflows/quickstart.yaml', ...small, '--set', 'domain=inverted', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const steps = r.json!.steps as { name: string; kind: string; result: Record<string, unknown> }[];
  assert.deepEqual(steps.map((s) => s.name), ['target-pool', 'target-labelled', 'target-test', 'source-test', 'source-only', 'drift', 'adabn', 'after-adabn', 'fine-tune', 'after-fine-tune', 'on-source']);
  assert.equal(steps[0]!.result.n, 40);
  assert.equal(steps[4]!.result.n, 500);
  assert.equal(steps[6]!.result.images, 40, 'AdaBN reads the whole unlabelled pool');
  assert.equal(steps[8]!.result.images, 20, 'the fine-tune sees the labelled set once');
  // AdaBN on the inverted domain lifts accuracy well above the source-only model's chance level.
  assert.ok((steps[7]!.result.accuracy as number) > (steps[4]!.result.accuracy as number) + 0.1, `${steps[4]!.result.accuracy} → ${steps[7]!.result.accuracy}`);
  const again = await calibra(['run', 'workflows/quickstart.yaml', ...small]);
  assert.equal(again.code, 0, `a preset runs again over its own outputs: ${again.stderr}`);
  // The closing table lists every evaluation with its model, data and accuracy.
  const table = again.stdout.slice(again.stdout.indexOf('step  '));
  assert.match(table, /^step +model +data +accuracy$/m);
  for (const name of ['source-only', 'after-adabn', 'after-fine-tune', 'on-source']) assert.match(table, new RegExp(`^${name} .* \\d+\\.\\d%$`, 'm'));
  const typo = await calibra(['run', 'workflows/quickstart.yaml', '--set', 'epoch=1']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /--set epoch: .* has no variable 'epoch'/);
});

test('a --max-batch try that runs past its time limit counts as too slow, not as fitting', async () => {
  const { trialStep } = await import('../../src/cli/commands/bench.js');
  const { BENCH_CASES } = await import('../../src/bench/cases.js');
  const digits = BENCH_CASES.find((c) => c.name === 'digits-train-full')!;
  assert.equal(await trialStep(digits, 'wasm', 2, 50), 'too slow');
  assert.equal(await trialStep(digits, 'wasm', 2), 'fits');
});
