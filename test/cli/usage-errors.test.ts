import test from 'node:test';
import assert from 'node:assert/strict';
import { calibra } from '../helpers/cli.js';

function oneLineError(r: { code: number; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit 2, got ${r.code}: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('calibra:'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, pattern);
}

test('help without a terminal, and per command', async () => {
  const r = await calibra([]);
  assert.equal(r.code, 0);
  for (const c of ['models', 'data synth', 'eval', 'train', 'run', 'bench']) assert.ok(r.stdout.includes(c), c);
  const t = await calibra(['train', '--help']);
  assert.equal(t.code, 0);
  assert.match(t.stdout, /--freeze none\|backbone\|last:N/);
  assert.match((await calibra(['data', 'synth', '--help'])).stdout, /textured/);
});

test('bad usage exits 2 with one line naming the flag or file', async () => {
  oneLineError(await calibra(['trian']), /unknown command 'trian'/);
  oneLineError(await calibra(['eval', '--model', 'digits-resnet', '--dta', 'x']), /--dta/);
  oneLineError(await calibra(['eval', '--data', '/tmp']), /--model is required/);
  oneLineError(await calibra(['eval', '--model', 'no-such-model', '--data', '/tmp']), /--model no-such-model/);
  oneLineError(await calibra(['eval', '--model', 'digits-resnet', '--data', '/nonexistent/folder']), /\/nonexistent\/folder/);
  oneLineError(await calibra(['train', '--model', 'digits-resnet', '--data', '/tmp', '--out', '/tmp/o', '--batch', 'zero']), /--batch zero: expected an integer/);
  oneLineError(await calibra(['train', '--model', 'digits-resnet', '--data', '/tmp', '--out', '/tmp/o', '--freeze', 'half']), /--freeze: expected none, backbone or last:N/);
  oneLineError(await calibra(['train', '--model', 'digits-resnet', '--data', '/tmp', '--out', '/tmp/o', '--optimizer', 'lbfgs']), /--optimizer/);
  oneLineError(await calibra(['models', '--backend', 'tpu']), /./);
  oneLineError(await calibra(['eval', '--model', 'digits-resnet', '--data', '/tmp', '--backend', 'tpu']), /--backend tpu: unknown backend/);
  oneLineError(await calibra(['data', 'synth', '--domain', 'sepia', '--out', '/tmp/x']), /sepia/);
});

test('with --json, errors also end stdout with a JSON object', async () => {
  const r = await calibra(['eval', '--model', 'no-such-model', '--data', '/tmp', '--json']);
  assert.equal(r.code, 2);
  assert.equal(r.json?.exitCode, 2);
  assert.match(String(r.json?.error), /no-such-model/);
});
