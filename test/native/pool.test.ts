// MaxPool, AvgPool, MaxPoolGrad and AvgPoolGrad on the native engine, against the cpu backend.
import test from 'node:test';

import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import { assertClose, nativeAndCpu, randomValues, setUpNative } from './harness.js';

const skip = await setUpNative();

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

interface Case {
  x: [number, number, number, number];
  filter: [number, number];
  stride: [number, number];
  pad: Pad;
}

const rng = createRng(5903);
const cases: Case[] = [
  { x: [64, 32, 32, 16], filter: [2, 2], stride: [2, 2], pad: 'valid' },
  { x: [2, 9, 7, 5], filter: [3, 3], stride: [2, 2], pad: 'same' },
  { x: [3, 8, 11, 4], filter: [3, 2], stride: [1, 2], pad: 'same' },
  { x: [1, 10, 6, 3], filter: [3, 3], stride: [1, 1], pad: 'valid' },
  { x: [2, 7, 7, 8], filter: [2, 3], stride: [2, 1], pad: [[0, 0], [1, 0], [1, 2], [0, 0]] },
];
for (let i = 0; i < 4; i++) {
  const k: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
  cases.push({
    x: [1 + rng.int(3), k[0] + rng.int(9), k[1] + rng.int(9), 1 + rng.int(6)],
    filter: k,
    stride: [1 + rng.int(2), 1 + rng.int(2)],
    pad: rng.int(2) === 0 ? 'same' : 'valid',
  });
}

const label = (c: Case): string =>
  `x ${c.x.join('×')}, window ${c.filter.join('×')}, stride ${c.stride.join('×')}, ` +
  (typeof c.pad === 'string' ? c.pad : `explicit ${c.pad[1]}/${c.pad[2]}`);

for (const c of cases) {
  const x = randomValues(rng, c.x);
  for (const kind of ['max', 'avg'] as const) {
    const pool = (t: tf.Tensor4D): tf.Tensor4D =>
      kind === 'max' ? tf.maxPool(t, c.filter, c.stride, c.pad) : tf.avgPool(t, c.filter, c.stride, c.pad);
    const forward = kind === 'max' ? 'MaxPool' : 'AvgPool';
    test(`${forward} and ${forward}Grad: ${label(c)}`, { skip }, async () => {
      const r = await nativeAndCpu(() => {
        const input = tf.tensor4d(x, c.x);
        const y = pool(input);
        const upstream = tf.tensor4d(randomValues(createRng(1), y.shape), y.shape);
        const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(pool(t as tf.Tensor4D), upstream)))(input);
        return [y, dx];
      }, [forward, `${forward}Grad`]);
      assertClose(r, 1e-5, ['y', 'dx']);
    });
  }
}
