import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibra } from '../helpers/cli.js';

test('bench --json reports each case and backend in the contract shape', async () => {
  const r = await calibra(['bench', '--case', 'digits-train-full', '--backends', 'wasm', '--seconds', '0.5', '--repeat', '1', '--no-torch', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const cases = r.json!.cases as Record<string, unknown>[];
  assert.equal(cases.length, 1);
  const [row] = cases;
  assert.equal(row!.name, 'digits-train-full');
  assert.equal(row!.backend, 'wasm');
  assert.ok((row!.images_per_second as number) > 0);
  assert.equal(row!.torch_images_per_second, null);
  assert.equal(row!.ratio, null);
  const bad = await calibra(['bench', '--case', 'resnet-9000']);
  assert.equal(bad.code, 2);
});

test('run executes the quickstart preset with --set overrides', async () => {
  const work = join(await mkdtemp(join(tmpdir(), 'calibra-run-')), 'qs');
  const r = await calibra(['run', 'workflows/quickstart.yaml', '--set', `work=${work}`, '--set', 'perClass=4', '--set', 'epochs=1', '--set', 'domain=inverted', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const steps = r.json!.steps as { name: string; kind: string; result: Record<string, unknown> }[];
  assert.deepEqual(steps.map((s) => s.name), ['target-train', 'target-test', 'source-test', 'before', 'fine-tune', 'after', 'after-on-source']);
  assert.equal(steps[0]!.result.n, 40);
  assert.equal(steps[3]!.result.n, 500);
  assert.equal(steps[4]!.result.images, 40);
  const again = await calibra(['run', 'workflows/quickstart.yaml', '--set', `work=${work}`, '--set', 'perClass=4', '--set', 'epochs=1']);
  assert.equal(again.code, 0, `a preset runs again over its own outputs: ${again.stderr}`);
  const typo = await calibra(['run', 'workflows/quickstart.yaml', '--set', 'epoch=1']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /--set epoch: .* has no variable 'epoch'/);
});
