// A negative number after a flag that takes a value is that flag's value, so the flag's own
// check can answer; nothing else in the arguments changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachNegativeValues } from '../../src/cli/argv.js';

const options = { batch: { type: 'string' }, lr: { type: 'string' }, json: { type: 'boolean' } } as const;

test('negative numbers join the value flag before them', () => {
  assert.deepEqual(attachNegativeValues(['--batch', '-3', '--lr', '-0.5', '--json'], options), ['--batch=-3', '--lr=-0.5', '--json']);
  assert.deepEqual(attachNegativeValues(['--lr', '-.5', '--lr', '-1e-3'], options), ['--lr=-.5', '--lr=-1e-3']);
});

test('flags, boolean flags, unknown flags and words are left alone', () => {
  assert.deepEqual(attachNegativeValues(['--batch', '--json'], options), ['--batch', '--json']);
  assert.deepEqual(attachNegativeValues(['--json', '-3'], options), ['--json', '-3']);
  assert.deepEqual(attachNegativeValues(['--bogus', '-3'], options), ['--bogus', '-3']);
  assert.deepEqual(attachNegativeValues(['--batch', '-x'], options), ['--batch', '-x']);
  assert.deepEqual(attachNegativeValues(['--batch=-3', 'file'], options), ['--batch=-3', 'file']);
  assert.deepEqual(attachNegativeValues(['--', '--batch', '-3'], options), ['--', '--batch', '-3']);
});
