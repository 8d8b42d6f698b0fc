import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifierFromRows, parseClassMapText, readClassMap, resolveClassMap } from '../../src/models/class-map.js';
import { InputError } from '../../src/errors.js';

const inputError = (text: RegExp) => (e: Error) => e instanceof InputError && text.test(e.message);

test('NEW=OLD pairs parse in order, with spaces allowed inside names', () => {
  assert.deepEqual(parseClassMapText('ants=ant, bees = bee,tabby=tabby cat'), [['ants', 'ant'], ['bees', 'bee'], ['tabby', 'tabby cat']]);
  assert.throws(() => parseClassMapText('ants'), inputError(/^--class-map ants: 'ants' is not NEW=OLD/));
  assert.throws(() => parseClassMapText('ants=,bees=bee'), inputError(/not NEW=OLD/));
  assert.throws(() => parseClassMapText('a=x,a=y'), inputError(/'a' is mapped twice/));
});

test('@file.json and workflow mappings give the same pairs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'calibra-classmap-'));
  await writeFile(join(dir, 'map.json'), JSON.stringify({ ants: 'ant', bees: 629 }));
  assert.deepEqual(await readClassMap(`@${join(dir, 'map.json')}`), [['ants', 'ant'], ['bees', '629']]);
  assert.deepEqual(await readClassMap({ ants: 'ant' }), [['ants', 'ant']]);
  await writeFile(join(dir, 'bad.json'), '["ant"]');
  await assert.rejects(readClassMap(`@${join(dir, 'bad.json')}`), inputError(/bad\.json: expected a JSON object/));
  await assert.rejects(readClassMap(`@${join(dir, 'none.json')}`), inputError(/cannot read .*none\.json/));
});

test('OLD resolves by name, by index when not a name, and refuses ambiguous or unknown names', () => {
  const classes = ['crane', 'ant', 'crane', 'bee'];
  assert.deepEqual(resolveClassMap([['a', 'ant'], ['b', '3'], ['c', '2']], classes), [
    { newClass: 'a', oldClass: 'ant', oldIndex: 1 }, { newClass: 'b', oldClass: 'bee', oldIndex: 3 }, { newClass: 'c', oldClass: 'crane', oldIndex: 2 },
  ]);
  assert.throws(() => resolveClassMap([['bird', 'crane']], classes), inputError(/'crane' names the model's classes 0 and 2: give the index/));
  assert.throws(() => resolveClassMap([['x', 'wasp']], classes), inputError(/'wasp' is not a class of the model/));
  assert.throws(() => resolveClassMap([['x', '4']], classes), inputError(/'4' is not a class/));
});

test('the new classifier takes the mapped columns and bias entries, and keeps fresh ones elsewhere', () => {
  // Old kernel [features=2, classes=3] row-major: feature f, class c → 10·f + c.
  const old = { kernel: Float32Array.from([0, 1, 2, 10, 11, 12]), bias: Float32Array.from([100, 101, 102]), classes: 3 };
  const fresh = { kernel: Float32Array.from([-1, -2, -3, -4, -5, -6]), bias: Float32Array.from([-7, -8, -9]) };
  const { kernel, bias } = classifierFromRows(old, fresh, [2, null, 0]);
  assert.deepEqual(Array.from(kernel), [2, -2, 0, 12, -5, 10]);
  assert.deepEqual(Array.from(bias), [102, -8, 100]);
  assert.deepEqual(Array.from(classifierFromRows({ ...old, bias: null }, fresh, [1, 1, 1]).bias), [0, 0, 0], 'no old bias: zero');
});
