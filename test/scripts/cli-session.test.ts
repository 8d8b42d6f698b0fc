import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CliSession, StepFailed, lastJsonLine, shellQuote } from '../../scripts/lib/cli-session.js';
import { PACKAGE_ROOT } from '../../src/util/package-root.js';
import { TEST_HOME } from '../helpers/cli.js';

test('shellQuote gives back each argument unchanged through a real shell', () => {
  const args = ['plain', 'with space', "it's", '$HOME', 'a"b', '--class-map=ants=ant', '*', ''];
  const out = execFileSync('sh', ['-c', `printf '%s\\n' ${args.map(shellQuote).join(' ')}`], { encoding: 'utf8' });
  assert.deepEqual(out.split('\n').slice(0, -1), args);
  assert.equal(shellQuote('/tmp/a-b/c.json'), '/tmp/a-b/c.json', 'safe paths stay bare, so printed commands stay readable');
});

test('lastJsonLine reads only a JSON object on the last line', () => {
  assert.deepEqual(lastJsonLine('progress\n{"accuracy":0.5}\n'), { accuracy: 0.5 });
  assert.equal(lastJsonLine('{"a":1}\nnot json'), null);
  assert.equal(lastJsonLine('[1,2]'), null);
  assert.equal(lastJsonLine(''), null);
});

test('a session runs calibra with --json, keeps the command line, and a failing command throws with its stderr', async () => {
  const logged: string[] = [];
  const session = new CliSession({ home: TEST_HOME, log: (l) => logged.push(l) });
  const models = await session.run(['models']);
  assert.ok(Array.isArray(models.models) && models.models.some((m: { id?: string }) => m.id === 'digits-resnet'));
  const missing = join(TEST_HOME, 'no-such-folder');
  const err = await session.measure(['eval', '--model', 'digits-resnet', '--data', missing], 'accuracy').then(() => null, (e: unknown) => e);
  assert.ok(err instanceof StepFailed);
  assert.equal(err.code, 2);
  assert.equal(err.command, `node bin/calibra.js eval --model digits-resnet --data ${missing} --json`);
  assert.match(err.output, new RegExp(`"error":"[^"]*${missing}`));
  assert.deepEqual(session.commands, ['node bin/calibra.js models --json', err.command]);
  assert.equal(logged[0], '$ node bin/calibra.js models --json');
});

test('a script stops with exit 1 and the failing command\'s stderr; bad flags exit 2 in one line', () => {
  const script = join(PACKAGE_ROOT, 'dist', 'scripts', 'adaptation-table.js');
  const work = join(TEST_HOME, 'table-work');
  const bad = spawnSync(process.execPath, [script, '--epochs', '0'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, "error: --epochs must be a whole number ≥ 1, got '0' (see --help)\n");
  const missingModel = join(TEST_HOME, 'no-model');
  const failed = spawnSync(process.execPath, [script, '--domains', 'inverted', '--model', missingModel, '--test-per-class', '1', '--pool-per-class', '1',
    '--labelled-per-class', '1', '--work', work], { encoding: 'utf8' });
  assert.equal(failed.status, 1);
  assert.equal(failed.stdout, '', 'no table from a run with a failed step');
  const report = failed.stderr.slice(failed.stderr.indexOf('error: command failed'));
  assert.ok(report.startsWith(`error: command failed (exit 2): node bin/calibra.js eval --model ${missingModel} --data ${work}/inverted/test --json\n`), report);
  assert.ok(report.includes(`calibra: --model ${missingModel}: not a zoo id`), 'calibra\'s own refusal is in the report');
});
