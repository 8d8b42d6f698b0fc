// The drift measures against hand computations, and the advice rule on synthetic profiles.
import test from 'node:test';
import assert from 'node:assert/strict';
import { channelDrift } from '../../src/bn/drift.js';
import { adviseFromDrift, groupDrift, SMALL_DRIFT } from '../../src/bn/advice.js';

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test('symmetric KL, mean shift and variance ratio by hand', () => {
  // Channel 0: held N(0, 1), data N(2, 1): KL each way is Δ²/2 = 2, so 4; shift 2; ratio 1.
  // Channel 1: held N(1, 4), data N(1, 1): (4/1 + 1/4)/2 − 1 = 1.125; shift 0; ratio 0.25.
  const d = channelDrift({ mean: [0, 1], variance: [1, 4] }, { mean: [2, 1], variance: [1, 1] }, 0);
  near(d.drift, (4 + 1.125) / 2, 'drift');
  near(d.meanShift, (2 + 0) / 2, 'meanShift');
  near(d.varRatio, (1 + 0.25) / 2, 'varRatio');
});

test('epsilon joins both variances, as the layer normalises with it; the log terms cancel', () => {
  // a = 0 + 1 = 1, b = 3 + 1 = 4, Δ = 1: (1 + 1)/8 + (4 + 1)/2 − 1 = 1.75.
  const d = channelDrift({ mean: [0], variance: [0] }, { mean: [1], variance: [3] }, 1);
  near(d.drift, 1.75, 'drift');
  near(d.meanShift, 1, 'meanShift');
  near(d.varRatio, 4, 'varRatio');
  // Against the two KL divergences written out with their logs.
  const kl = (m1: number, v1: number, m2: number, v2: number) => 0.5 * Math.log(v2 / v1) + (v1 + (m1 - m2) ** 2) / (2 * v2) - 0.5;
  near(d.drift, kl(0, 1, 1, 4) + kl(1, 4, 0, 1), 'two KLs');
  assert.equal(channelDrift({ mean: [3, -1], variance: [2, 5] }, { mean: [3, -1], variance: [2, 5] }, 1e-3).drift, 0);
});

test('mismatched channel counts are refused', () => {
  assert.throws(() => channelDrift({ mean: [0, 1], variance: [1, 1] }, { mean: [0], variance: [1] }, 0), RangeError);
});

const refs = { model: 'm', images: 'dir' };
const profile = (drifts: Record<string, number[]>) => Object.entries(drifts).flatMap(([group, ds]) => ds.map((drift) => ({ group, drift })));

test('group drift is the mean over the group\'s layers, groups in network order', () => {
  assert.deepEqual(groupDrift(profile({ stem: [1, 3], block1: [0.5] })), [{ group: 'stem', drift: 2 }, { group: 'block1', drift: 0.5 }]);
});

test('little drift anywhere: the gap is not in BN statistics', () => {
  const a = adviseFromDrift(profile({ stem: [SMALL_DRIFT * 0.9], block1: [0.3, 0.2], block2: [0.05], block3: [0.03] }), refs);
  assert.equal(a.kind, 'little');
  assert.match(a.text, /mostly not in BN statistics/);
});

test('drift in the first groups only: recalibrate those groups', () => {
  const a = adviseFromDrift(profile({ stem: [2], block1: [1.2, 0.6], block2: [0.05], block3: [0.02] }), refs);
  assert.equal(a.kind, 'early');
  assert.deepEqual(a.groups, ['stem', 'block1']);
  assert.match(a.text, /calibra recalibrate --model m --images dir --groups stem,block1 --out OUT/);
  // A calm group inside the drifting prefix is still recalibrated: its inputs change with the stem's.
  assert.deepEqual(adviseFromDrift(profile({ stem: [2], block1: [0.01], block2: [0.9], block3: [0.02], block4: [0.01] }), refs).groups, ['stem', 'block1', 'block2']);
});

test('drift reaching the second half: AdaBN exact, then fine-tune', () => {
  const a = adviseFromDrift(profile({ stem: [2], block1: [1], block2: [0.8], block3: [1.5] }), refs);
  assert.equal(a.kind, 'everywhere');
  assert.match(a.text, /--mode exact/);
  assert.match(a.text, /calibra train/);
  // Drift only in the last group is not "early" either.
  assert.equal(adviseFromDrift(profile({ stem: [0.01], block1: [0.01], block2: [0.01], block3: [0.9] }), refs).kind, 'everywhere');
  // One group that drifts is the whole network.
  assert.equal(adviseFromDrift(profile({ stem: [0.5] }), refs).kind, 'everywhere');
});
