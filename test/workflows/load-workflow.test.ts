import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkflow } from '../../src/workflows/runner.js';
import { InputError } from '../../src/errors.js';
import { PACKAGE_ROOT } from '../../src/util/package-root.js';

async function preset(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'calibra-wf-')), 'p.yaml');
  await writeFile(file, text);
  return file;
}

async function rejectsWith(file: string, pattern: RegExp, overrides = {}): Promise<void> {
  await assert.rejects(loadWorkflow(file, overrides), (e: Error) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${e}`);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'), 'one line');
    return true;
  });
}

test('a valid preset fills defaults and variables', async () => {
  const file = await preset('name: t\nvars: { n: 2, dir: /tmp/x }\nsteps:\n  - train: { model: m, data: "${dir}/d", out: o, epochs: "${n}" }\n');
  const { steps } = await loadWorkflow(file, { n: 4 });
  assert.equal(steps[0]!.kind, 'train');
  assert.equal(steps[0]!.kind === 'train' && steps[0]!.options.epochs, 4);
  assert.equal(steps[0]!.kind === 'train' && steps[0]!.options.data, '/tmp/x/d');
  assert.equal(steps[0]!.kind === 'train' && steps[0]!.options.bnMomentum, 0.9);
});

test('mistakes are reported at the field, naming the file', async () => {
  const typo = await preset('name: t\nsteps:\n  - eval: { model: m, data: d }\n  - train: { model: m, data: d, out: o, epochz: 2 }\n');
  await rejectsWith(typo, /p\.yaml: steps\.1\.train: Unrecognized key\(s\) in object: 'epochz'/);
  const badType = await preset('name: t\nsteps:\n  - train: { model: m, data: d, out: o, epochs: two }\n');
  await rejectsWith(badType, /steps\.0\.train\.epochs: Expected number, received string/);
  const badFreeze = await preset('name: t\nsteps:\n  - train: { model: m, data: d, out: o, freeze: half }\n');
  await rejectsWith(badFreeze, /steps\.0\.train\.freeze: expected none, backbone or last:N/);
  const twoKinds = await preset('name: t\nsteps:\n  - { eval: { model: m, data: d }, train: { model: m, data: d, out: o } }\n');
  await rejectsWith(twoKinds, /steps\.0: a step has exactly one of synth, eval, train/);
  await rejectsWith(await preset('name: t\nsteps:\n  - eval: { model: "${nope}", data: d }\n'), /steps\.0\.eval\.model: \$\{nope\} is not defined/);
  await rejectsWith(await preset('name: t\nsteps: []\n'), /steps: Array must contain at least 1/);
  await rejectsWith(await preset('name: [unclosed\n'), /not valid YAML/);
  await rejectsWith(await preset('name: t\nvars: { a: 1 }\nsteps:\n  - eval: { model: m, data: d }\n'), /--set b: .* has no variable 'b'/, { b: 2 });
  await rejectsWith('/nonexistent/preset.yaml', /\/nonexistent\/preset\.yaml: cannot read/);
});

test('every shipped preset validates', async () => {
  const dir = join(PACKAGE_ROOT, 'workflows');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length > 0);
  for (const f of files) {
    const { steps } = await loadWorkflow(join(dir, f));
    assert.ok(steps.length > 0, f);
  }
});
