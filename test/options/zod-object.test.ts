// The preset schema a declaration gives: its default fills in, its bounds, choices and text check
// refuse bad values, a list is an array, a class map may be written out, unknown fields are refused.
import test from 'node:test';
import assert from 'node:assert/strict';
import { optionsObject } from '../../src/options/zod-object.js';

const schema = optionsObject([
  { field: 'model', flag: 'model', kind: 'path', required: true, section: 'S', help: 'h' },
  { field: 'batch', flag: 'batch', kind: 'integer', min: 1, max: 64, default: 32, section: 'S', help: 'h' },
  { field: 'smoothing', flag: 'smoothing', kind: 'number', min: 0, lessThan: 1, section: 'S', help: 'h' },
  { field: 'mode', flag: 'mode', kind: 'choice', choices: ['exact', 'fast'], default: 'exact', section: 'S', help: 'h' },
  { field: 'groups', flag: 'groups', kind: 'text', list: true, section: 'S', help: 'h' },
  { field: 'classMap', flag: 'class-map', kind: 'text', mapping: true, section: 'S', help: 'h' },
  { field: 'freeze', flag: 'freeze', kind: 'text', check: (v) => (v === 'none' || v === 'all' ? null : 'expected none or all'), section: 'S', help: 'h' },
  { field: 'shuffle', flag: 'no-shuffle', kind: 'flag', negated: true, default: true, section: 'S', help: 'h' },
] as const);

const message = (input: unknown) => {
  const r = schema.safeParse(input);
  assert.equal(r.success, false, `accepted ${JSON.stringify(input)}`);
  return r.success ? '' : `${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`;
};

test('defaults fill in; options without a default stay absent', () => {
  assert.deepEqual(schema.parse({ model: 'm' }), { model: 'm', batch: 32, mode: 'exact', shuffle: true });
});

test('bounds, integers and choices are enforced with the field named', () => {
  assert.equal(message({ model: 'm', batch: 0 }), 'batch: Number must be greater than or equal to 1');
  assert.equal(message({ model: 'm', batch: 65 }), 'batch: Number must be less than or equal to 64');
  assert.equal(message({ model: 'm', batch: 2.5 }), 'batch: Expected integer, received float');
  assert.equal(message({ model: 'm', smoothing: 1 }), 'smoothing: Number must be less than 1');
  assert.equal(schema.parse({ model: 'm', smoothing: 0 }).smoothing, 0);
  assert.equal(message({ model: 'm', mode: 'slow' }), "mode: Invalid enum value. Expected 'exact' | 'fast', received 'slow'");
});

test('a text check\'s complaint is the message', () => {
  assert.equal(schema.parse({ model: 'm', freeze: 'all' }).freeze, 'all');
  assert.equal(message({ model: 'm', freeze: 'half' }), 'freeze: expected none or all');
});

test('a list is a non-empty array; a class map is text or a mapping', () => {
  assert.deepEqual(schema.parse({ model: 'm', groups: ['stem', 'head'] }).groups, ['stem', 'head']);
  assert.equal(message({ model: 'm', groups: [] }), 'groups: Array must contain at least 1 element(s)');
  assert.equal(schema.parse({ model: 'm', classMap: 'a=b' }).classMap, 'a=b');
  assert.deepEqual(schema.parse({ model: 'm', classMap: { ants: 'ant' } }).classMap, { ants: 'ant' });
});

test('a required field missing, or a field nothing declares, is refused', () => {
  assert.equal(message({}), 'model: Required');
  assert.equal(message({ model: 'm', bogus: 1 }), ": Unrecognized key(s) in object: 'bogus'");
});
