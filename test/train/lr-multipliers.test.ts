import test from 'node:test';
import assert from 'node:assert/strict';
import { parseLrMultipliers } from '../../src/train/lr-multipliers.js';

const all = ['stem', 'block1', 'block2', 'head'];

test('named multipliers set their groups; the others stay at 1; frozen groups get none', () => {
  const m = parseLrMultipliers('stem=0.1, block1=0.3', ['block1', 'block2', 'head'], all);
  assert.deepEqual([...m], [['block1', 0.3], ['block2', 1], ['head', 1]]);
});

test('geometric:F runs from F at the first training group to 1 at the head', () => {
  const m = parseLrMultipliers('geometric:0.01', all, all);
  const v = all.map((g) => m.get(g)!);
  assert.ok(Math.abs(v[0]! - 0.01) < 1e-12);
  assert.ok(Math.abs(v[1]! - 0.01 ** (2 / 3)) < 1e-12);
  assert.ok(Math.abs(v[2]! - 0.01 ** (1 / 3)) < 1e-12);
  assert.equal(v[3], 1);
  assert.deepEqual([...parseLrMultipliers('geometric:0.5', ['head'], all)], [['head', 1]]);
});

test('mistakes name the part and the model groups', () => {
  assert.throws(() => parseLrMultipliers('neck=0.1', all, all), /no group 'neck' \(groups: stem, block1, block2, head\)/);
  assert.throws(() => parseLrMultipliers('stem:0.1', all, all), /expected GROUP=X/);
  assert.throws(() => parseLrMultipliers('stem=-1', all, all), /expected GROUP=X/);
  assert.throws(() => parseLrMultipliers('geometric:2', all, all), /0 < F ≤ 1/);
});
