import test from 'node:test';
import assert from 'node:assert/strict';
import { configDiff } from '../../src/store/compare-runs.js';

test('configDiff lists changed, added and removed keys, nested by dotted path, sorted', () => {
  const a = { lr: 0.001, optimizer: 'adam', epochs: 5, bn: { stats: 'update', momentum: 0.9 }, classes: ['a', 'b'] };
  const b = { lr: 0.001, optimizer: 'adamw', epochs: 5, bn: { stats: 'update', momentum: 0.99 }, classes: ['a', 'b'], schedule: 'cosine' };
  assert.deepEqual(configDiff(a, b), [
    { key: 'bn.momentum', a: 0.9, b: 0.99 },
    { key: 'optimizer', a: 'adam', b: 'adamw' },
    { key: 'schedule', a: undefined, b: 'cosine' },
  ]);
  assert.deepEqual(configDiff(a, a), []);
  assert.deepEqual(configDiff({ classes: ['a'] }, { classes: ['a', 'b'] }), [{ key: 'classes', a: ['a'], b: ['a', 'b'] }]);
});
