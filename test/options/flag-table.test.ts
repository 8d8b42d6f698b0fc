// A declaration gives the parseArgs entry its kind needs, and argv parsed with the derived table
// reaches the step's fields: values as text, switches as booleans, `--no-x` turning x off.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { flagTable } from '../../src/options/flag-table.js';
import { flagValues } from '../../src/options/flag-values.js';
import type { OptionSpec } from '../../src/options/option-spec.js';

const SPECS: readonly OptionSpec[] = [
  { field: 'data', flag: 'data', kind: 'path', required: true, section: 'S', help: 'h' },
  { field: 'batchSize', flag: 'batch-size', kind: 'integer', min: 1, default: 8, section: 'S', help: 'h' },
  { field: 'rate', flag: 'rate', kind: 'number', section: 'S', help: 'h' },
  { field: 'mode', flag: 'mode', kind: 'choice', choices: ['a', 'b'], section: 'S', help: 'h' },
  { field: 'tags', flag: 'tags', kind: 'text', list: true, section: 'S', help: 'h' },
  { field: 'verbose', flag: 'verbose', kind: 'flag', default: false, section: 'S', help: 'h' },
  { field: 'augment', flag: 'no-augment', kind: 'flag', negated: true, default: true, section: 'S', help: 'h' },
];

test('value kinds read a string, switches a boolean, keyed by the flag', () => {
  assert.deepEqual(flagTable(SPECS), {
    data: { type: 'string' },
    'batch-size': { type: 'string' },
    rate: { type: 'string' },
    mode: { type: 'string' },
    tags: { type: 'string' },
    verbose: { type: 'boolean' },
    'no-augment': { type: 'boolean' },
  });
});

test('argv through the derived table becomes field values', () => {
  const args = ['--data', 'd', '--batch-size', '4', '--rate', '0.5', '--mode', 'b', '--tags', 'x, y,,z', '--verbose', '--no-augment'];
  const { values } = parseArgs({ args, options: flagTable(SPECS), strict: true });
  assert.deepEqual(flagValues(SPECS, values), { data: 'd', batchSize: 4, rate: 0.5, mode: 'b', tags: ['x', 'y', 'z'], verbose: true, augment: false });
});

test('flags left out stay undefined, so the schema\'s defaults apply', () => {
  const { values } = parseArgs({ args: ['--data', 'd'], options: flagTable(SPECS), strict: true });
  assert.deepEqual(flagValues(SPECS, values), { data: 'd', batchSize: undefined, rate: undefined, mode: undefined, tags: undefined, verbose: undefined, augment: undefined });
});

test('a flag no declaration names is refused by parseArgs', () => {
  assert.throws(() => parseArgs({ args: ['--augment'], options: flagTable(SPECS), strict: true }), /Unknown option '--augment'/);
});
