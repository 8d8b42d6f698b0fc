// Flag text to option values: a number outside its declared range, or not a number, is refused
// with the flag, the typed value and the broken bound; a missing required flag says what it wants.
import test from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.js';
import { flagValues } from '../../src/options/flag-values.js';
import type { OptionSpec } from '../../src/options/option-spec.js';

const batch: OptionSpec = { field: 'batch', flag: 'batch', kind: 'integer', min: 1, max: 512, section: 'S', help: 'images per pass' };
const smoothing: OptionSpec = { field: 'labelSmoothing', flag: 'label-smoothing', kind: 'number', min: 0, lessThan: 1, section: 'S', help: 'h' };
const rate: OptionSpec = { field: 'lr', flag: 'lr', kind: 'number', greaterThan: 0, section: 'S', help: 'h' };

function refusal(spec: OptionSpec, raw: string): string {
  try {
    flagValues([spec], { [spec.flag]: raw });
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.message;
  }
  return assert.fail(`--${spec.flag} ${raw} was accepted`);
}

test('inclusive bounds: the ends pass, one step beyond names the bound', () => {
  assert.deepEqual(flagValues([batch], { batch: '1' }), { batch: 1 });
  assert.deepEqual(flagValues([batch], { batch: '512' }), { batch: 512 });
  assert.equal(refusal(batch, '0'), '--batch 0: must be at least 1');
  assert.equal(refusal(batch, '-3'), '--batch -3: must be at least 1');
  assert.equal(refusal(batch, '513'), '--batch 513: must be at most 512');
});

test('exclusive bounds refuse the bound itself', () => {
  assert.deepEqual(flagValues([smoothing], { 'label-smoothing': '0.999' }), { labelSmoothing: 0.999 });
  assert.equal(refusal(smoothing, '1'), '--label-smoothing 1: must be less than 1');
  assert.deepEqual(flagValues([rate], { lr: '1e-9' }), { lr: 1e-9 });
  assert.equal(refusal(rate, '0'), '--lr 0: must be greater than 0');
});

test('text that is not a number, or not an integer, names the kind wanted', () => {
  assert.equal(refusal(batch, 'zero'), '--batch zero: expected an integer');
  assert.equal(refusal(batch, '2.5'), '--batch 2.5: expected an integer');
  assert.equal(refusal(batch, ''), '--batch : expected an integer');
  assert.equal(refusal(rate, 'abc'), '--lr abc: expected a number');
  assert.equal(refusal(rate, 'Infinity'), '--lr Infinity: expected a number');
});

test('a missing or empty required flag says what it wants; a required choice lists the choices', () => {
  const model: OptionSpec = { field: 'model', flag: 'model', kind: 'path', required: true, section: 'S', help: 'a zoo id or a model.json' };
  assert.equal(refusal(model, ''), '--model is required: a zoo id or a model.json');
  assert.throws(() => flagValues([model], {}), { message: '--model is required: a zoo id or a model.json' });
  const domain: OptionSpec = { field: 'domain', flag: 'domain', kind: 'choice', choices: ['clean', 'inverted'], required: true, section: 'S', help: 'the domain to draw' };
  assert.throws(() => flagValues([domain], {}), { message: '--domain is required: the domain to draw (choose from clean, inverted)' });
});
