import test from 'node:test';
import assert from 'node:assert/strict';
import { parseAssignment, substitute } from '../../src/workflows/substitute.js';

test('a whole-string placeholder keeps the variable type; embedded ones interpolate', () => {
  const { value, missing } = substitute({ a: '${n}', b: 'x/${name}/y', c: ['${flag}'], d: 3 }, { n: 5, name: 'run', flag: false });
  assert.deepEqual(value, { a: 5, b: 'x/run/y', c: [false], d: 3 });
  assert.deepEqual(missing, []);
});

test('unknown variables are reported with where they were used', () => {
  const { missing } = substitute({ steps: [{ train: { out: '${work}/m' } }] }, {}, ['root']);
  assert.deepEqual(missing, ['root.steps.0.train.out: ${work}']);
});

test('--set values parse to numbers and booleans where they look like them', () => {
  assert.deepEqual(parseAssignment('epochs=3'), ['epochs', 3]);
  assert.deepEqual(parseAssignment('augment=false'), ['augment', false]);
  assert.deepEqual(parseAssignment('work=/tmp/a=b'), ['work', '/tmp/a=b']);
  assert.deepEqual(parseAssignment('domain='), ['domain', '']);
  assert.equal(parseAssignment('=3'), null);
  assert.equal(parseAssignment('noequals'), null);
});
