// The layering of BN settings per group, alone (no tfjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import { groupBnPolicies } from '../../src/train/bn-plan.js';
import { InputError } from '../../src/errors.js';

const names = ['stem', 'block1', 'block2', 'head'];
const base = { stats: 'update', affine: 'train', momentum: 0.9, epsilon: undefined } as const;

test('training groups take the flat settings, then default, then their own entry; frozen groups freeze', () => {
  const policies = groupBnPolicies(names, new Set(['block1', 'block2', 'head']), base, {
    default: { affine: 'freeze', epsilon: 1e-5 },
    groups: { block1: { momentum: 0.99, stats: 'freeze' }, block2: { stats: 'reset', affine: 'train' } },
  });
  assert.deepEqual(policies.get('stem'), { stats: 'freeze', affine: 'freeze' });
  assert.deepEqual(policies.get('block1'), { stats: 'freeze', affine: 'freeze', momentum: 0.99, epsilon: 1e-5 });
  assert.deepEqual(policies.get('block2'), { stats: 'reset', affine: 'train', momentum: 0.9, epsilon: 1e-5 });
  assert.deepEqual(policies.get('head'), { stats: 'update', affine: 'freeze', momentum: 0.9, epsilon: 1e-5 });
});

test('a group the model lacks is an error naming the model\'s groups', () => {
  assert.throws(() => groupBnPolicies(names, new Set(names), base, { groups: { block7: { stats: 'freeze' } } }), (e: Error) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.message, "bn.groups.block7: the model has no group 'block7' (its groups: stem, block1, block2, head)");
    return true;
  });
});

test('an override that would change a frozen group is an error; restating the freeze is not', () => {
  const training = new Set(['head']);
  assert.throws(() => groupBnPolicies(names, training, base, { groups: { stem: { stats: 'update' } } }), /bn\.groups\.stem: the group is frozen/);
  assert.throws(() => groupBnPolicies(names, training, base, { groups: { block1: { epsilon: 1e-5 } } }), /bn\.groups\.block1: the group is frozen/);
  const ok = groupBnPolicies(names, training, base, { groups: { stem: { stats: 'freeze', affine: 'freeze' } } });
  assert.deepEqual(ok.get('stem'), { stats: 'freeze', affine: 'freeze' });
});
