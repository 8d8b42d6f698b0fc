import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GLYPHS, parseStrokes } from '../../src/data/synth/glyphs.js';
import { DEFAULT_HANDWRITING, writeDigit } from '../../src/data/synth/handwriting.js';
import {
  compositeDifference,
  compositeOver,
  createImage,
  drawPolyline,
  gaussianBlur,
  toBytes,
} from '../../src/data/synth/raster.js';
import { photoTexture } from '../../src/data/synth/texture.js';
import { createRng } from '../../src/util/rng.js';

const sum = (values: Float32Array): number => values.reduce((s, v) => s + v, 0);

describe('glyphs', () => {
  it('has several variants of every digit, inside the unit box', () => {
    assert.equal(GLYPHS.length, 10);
    GLYPHS.forEach((variants, digit) => {
      assert.ok(variants.length >= 3, `digit ${digit}`);
      for (const v of variants) {
        assert.ok(v.strokes.length >= 1 && v.weight > 0, `${digit} ${v.name}`);
        const points = v.strokes.flatMap((s) => [s.start, ...s.segments.flatMap((g) => Object.values(g).filter(Array.isArray))]);
        for (const [x, y] of points as [number, number][]) {
          assert.ok(x >= -0.1 && x <= 1.1 && y >= -0.1 && y <= 1.1, `${digit} ${v.name}: ${x},${y}`);
        }
      }
    });
  });

  it('parses multi-stroke paths and rejects malformed ones', () => {
    const strokes = parseStrokes('M 0 0 L 1 1 Q 1 0 0 1 M 0.5 0 C 0 0 1 1 0.5 1');
    assert.equal(strokes.length, 2);
    assert.deepEqual(
      strokes[0]!.segments.map((s) => s.kind),
      ['L', 'Q'],
    );
    assert.deepEqual(strokes[1]!.segments[0], { kind: 'C', c1: [0, 0], c2: [1, 1], to: [0.5, 1] });
    assert.throws(() => parseStrokes('L 1 1'), /must begin with M/);
    assert.throws(() => parseStrokes('M 0 0 Z'), /unknown command/);
    assert.throws(() => parseStrokes('M 0 0 L 1'), /bad number/);
  });
});

describe('handwriting', () => {
  it('keeps every written digit inside the frame', () => {
    const rng = createRng(9);
    for (let i = 0; i < 300; i++) {
      const hand = writeDigit(i % 10, 28, DEFAULT_HANDWRITING, rng);
      for (const { xy, radii } of hand.strokes) {
        assert.equal(xy.length, 2 * radii.length);
        xy.forEach((v, k) => {
          const r = radii[k >> 1]!;
          assert.ok(v - r >= -1e-6 && v + r <= 28 + 1e-6, `digit ${i % 10}: ${v} ± ${r}`);
        });
      }
    }
  });
});

describe('raster', () => {
  it('draws an anti-aliased stroke whose cross-section integrates to its width', () => {
    const image = createImage(32, 32, 1);
    drawPolyline(image, [4, 16.3, 28, 16.3], [2, 2], 1);
    let column = 0;
    for (let y = 0; y < 32; y++) column += image.data[y * 32 + 16]!;
    assert.ok(Math.abs(column - 4) < 0.05, `column coverage ${column}`);
    assert.equal(Math.max(...image.data), 1);
    assert.ok(image.data.some((v) => v > 0 && v < 1), 'edges are partially covered');
    assert.equal(image.data[2 * 32 + 16], 0);
  });

  it('does not brighten where strokes overlap', () => {
    const image = createImage(16, 16, 1);
    drawPolyline(image, [2, 8, 14, 8, 8, 2, 8, 14], [1.5, 1.5, 1.5, 1.5], 1);
    assert.ok(Math.max(...image.data) <= 1);
  });

  it('blurs without changing total intensity away from the edges', () => {
    const image = createImage(32, 32, 3);
    image.data[(16 * 32 + 16) * 3 + 1] = 1;
    gaussianBlur(image, 1.5);
    assert.ok(Math.abs(sum(image.data) - 1) < 1e-5);
    assert.ok(image.data[(16 * 32 + 16) * 3 + 1]! < 0.2);
    assert.equal(image.data[(16 * 32 + 16) * 3], 0, 'channels stay separate');
  });

  it('composites ink over paper, and as a difference that inverts the background', () => {
    const coverage = createImage(2, 1, 1);
    coverage.data.set([0, 1]);
    assert.deepEqual([...toBytes(compositeOver(coverage, [0, 0, 1], [1, 0.5, 0]))], [0, 0, 255, 255, 128, 0]);
    const background = createImage(2, 1, 3);
    background.data.set([0.2, 0.4, 1, 0.2, 0.4, 1]);
    assert.deepEqual([...toBytes(compositeDifference(coverage, background))], [51, 102, 255, 204, 153, 0]);
  });

  it('makes photo-like textures in range and different per draw', () => {
    const rng = createRng(4);
    const a = photoTexture(32, rng);
    const b = photoTexture(32, rng);
    assert.ok(a.data.every((v) => v >= 0 && v <= 1));
    assert.notDeepEqual(a.data, b.data);
  });
});
