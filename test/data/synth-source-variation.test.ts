import test from 'node:test';
import assert from 'node:assert/strict';
import { renderDigit } from '../../src/data/synth/render.js';
import { varySourceDigit } from '../../src/data/synth/source-variation.js';
import { createRng } from '../../src/util/rng.js';

test('source variation is seeded, keeps the size, and never inverts polarity', () => {
  for (let seed = 0; seed < 40; seed++) {
    const pixels = renderDigit('clean', seed % 10, createRng(seed), 32);
    const a = varySourceDigit(pixels, 32, createRng(1000 + seed));
    const b = varySourceDigit(pixels, 32, createRng(1000 + seed));
    assert.deepEqual(a, b);
    assert.equal(a.length, pixels.length);
    const sorted = Float32Array.from(a).sort();
    const background = sorted[Math.floor(sorted.length * 0.2)]!;
    const stroke = sorted[Math.floor(sorted.length * 0.98)]!;
    assert.ok(stroke > background + 40, `seed ${seed}: stroke ${stroke} vs background ${background}`);
    assert.ok(a.every((v) => v >= 0 && v <= 255));
  }
});
