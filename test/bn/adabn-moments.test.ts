// The per-channel moments exact-mode AdaBN takes from cached activations, against a hand count.
import test from 'node:test';
import assert from 'node:assert/strict';
import { channelMoments } from '../../src/bn/channel-moments.js';
import { momentsVariance } from '../../src/bn/moments.js';

test('channel moments of a channels-last block match a hand computation', () => {
  // Two channels interleaved: channel 0 holds 1, 2, 3, 6 and channel 1 holds 10, 10, 10, 14.
  const m = channelMoments(Float32Array.from([1, 10, 2, 10, 3, 10, 6, 14]), 2);
  assert.equal(m.count, 4);
  assert.deepEqual(Array.from(m.mean), [3, 11]);
  // Squared deviations: 4 + 1 + 0 + 9 = 14 and 1 + 1 + 1 + 9 = 12.
  assert.deepEqual(Array.from(m.m2), [14, 12]);
  assert.deepEqual(Array.from(momentsVariance(m)), [14 / 3, 4]);
});

test('a large offset does not swamp the variance (two passes, float64)', () => {
  const m = channelMoments(Float32Array.from([1e4 + 1, 1e4 - 1, 1e4 + 1, 1e4 - 1]), 1);
  assert.equal(m.mean[0], 1e4);
  assert.equal(m.m2[0], 4);
});

test('a block that does not split into the channels is refused', () => {
  assert.throws(() => channelMoments(new Float32Array(7), 2), RangeError);
});
