import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.js';
import { DOMAIN_IDS, DOMAINS, SOURCE_DOMAIN_ID, getDomain } from '../../src/data/synth/domains.js';
import { renderDigit } from '../../src/data/synth/render.js';
import { createRng } from '../../src/util/rng.js';

const SIZE = 28;
const SAMPLES = 40;

function luminance(rgb: Uint8Array): Float64Array {
  const out = new Float64Array(rgb.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = (rgb[3 * i]! + rgb[3 * i + 1]! + rgb[3 * i + 2]!) / 3;
  return out;
}

function percentile(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** The widest 1st-to-99th percentile range of any one channel: ink of any colour shows in it. */
function channelSpread(rgb: Uint8Array): number {
  return Math.max(
    ...[0, 1, 2].map((c) => {
      const channel = Float64Array.from(rgb.filter((_, i) => i % 3 === c));
      return percentile(channel, 0.99) - percentile(channel, 0.01);
    }),
  );
}

/** The outermost ring of pixels: background in every domain but `shifted`. */
function borderMean(lum: Float64Array, size: number): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (x === 0 || y === 0 || x === size - 1 || y === size - 1) {
        sum += lum[y * size + x]!;
        n++;
      }
    }
  }
  return sum / n;
}

function meanChroma(rgb: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < rgb.length; i += 3) {
    sum += Math.max(rgb[i]!, rgb[i + 1]!, rgb[i + 2]!) - Math.min(rgb[i]!, rgb[i + 1]!, rgb[i + 2]!);
  }
  return sum / (rgb.length / 3);
}

/** Average of `stat` over SAMPLES renders of the domain, all digits. */
function average(domain: string, stat: (rgb: Uint8Array) => number, seed = 11): number {
  const rng = createRng(seed);
  let sum = 0;
  for (let i = 0; i < SAMPLES; i++) sum += stat(renderDigit(domain, i % 10, rng, SIZE));
  return sum / SAMPLES;
}

/** Fraction of pixels whose luminance is above half. */
const inkFraction = (rgb: Uint8Array): number => luminance(rgb).filter((v) => v > 128).length / (rgb.length / 3);

describe('domain table', () => {
  it('has one source, called clean, and targets with descriptions', () => {
    assert.equal(SOURCE_DOMAIN_ID, 'clean');
    assert.deepEqual(
      DOMAINS.filter((d) => d.role === 'source').map((d) => d.id),
      ['clean'],
    );
    for (const id of ['inverted', 'low-contrast', 'colored', 'textured', 'blur-noise', 'thick']) {
      assert.ok(DOMAIN_IDS.includes(id), id);
    }
    for (const d of DOMAINS) assert.ok(d.description.length > 10, d.id);
    assert.equal(new Set(DOMAIN_IDS).size, DOMAIN_IDS.length);
  });

  it('rejects an unknown domain with an InputError naming the valid ids', () => {
    assert.throws(
      () => renderDigit('sepia', 3, createRng(0)),
      (error: unknown) =>
        error instanceof InputError && error.message.includes('"sepia"') && DOMAIN_IDS.every((id) => error.message.includes(id)),
    );
    assert.throws(() => getDomain(''), InputError);
  });

  it('rejects labels outside 0..9', () => {
    assert.throws(() => renderDigit('clean', 10, createRng(0)), RangeError);
    assert.throws(() => renderDigit('clean', 1.5, createRng(0)), RangeError);
  });
});

describe('renderDigit', () => {
  it('returns size × size × 3 bytes, 32 by default', () => {
    assert.equal(renderDigit('clean', 0, createRng(0)).length, 32 * 32 * 3);
    for (const size of [16, 28, 64]) assert.equal(renderDigit('textured', 5, createRng(0), size).length, size * size * 3);
  });

  it('is deterministic for a seed and differs for another, in every domain', () => {
    for (const domain of DOMAIN_IDS) {
      for (let label = 0; label < 10; label++) {
        const a = renderDigit(domain, label, createRng(100 + label), SIZE);
        const b = renderDigit(domain, label, createRng(100 + label), SIZE);
        const c = renderDigit(domain, label, createRng(200 + label), SIZE);
        assert.deepEqual(a, b, `${domain} ${label}`);
        assert.notDeepEqual(a, c, `${domain} ${label}`);
      }
    }
  });

  it('pairs domains: one seed writes the same digits in clean and inverted', () => {
    const clean = createRng(42);
    const inverted = createRng(42);
    for (let label = 0; label < 10; label++) {
      const a = luminance(renderDigit('clean', label, clean, SIZE)).map((v) => (v > 128 ? 1 : 0));
      const b = luminance(renderDigit('inverted', label, inverted, SIZE)).map((v) => (v < 128 ? 1 : 0));
      const both = a.filter((v, i) => v === 1 && b[i] === 1).length;
      const either = a.filter((v, i) => v === 1 || b[i] === 1).length;
      assert.ok(both / either > 0.8, `label ${label}: ink masks overlap ${both / either}`);
    }
  });

  it('draws every class in every domain, never a blank image', () => {
    const rng = createRng(3);
    for (const domain of DOMAIN_IDS) {
      for (let label = 0; label < 10; label++) {
        for (let k = 0; k < 3; k++) {
          assert.ok(channelSpread(renderDigit(domain, label, rng, SIZE)) > 15, `${domain} ${label} looks blank`);
        }
      }
    }
    for (let label = 0; label < 10; label++) {
      for (let k = 0; k < 5; k++) {
        const ink = inkFraction(renderDigit('clean', label, rng, SIZE));
        assert.ok(ink > 0.03 && ink < 0.5, `clean ${label}: ink fraction ${ink}`);
      }
    }
  });
});

describe('domain statistics', () => {
  it('clean: dark background, bright strokes, grey', () => {
    assert.ok(average('clean', (rgb) => borderMean(luminance(rgb), SIZE)) < 20);
    assert.ok(average('clean', (rgb) => percentile(luminance(rgb), 0.99)) > 190);
    assert.equal(average('clean', meanChroma), 0);
  });

  it('inverted: light background, dark strokes', () => {
    assert.ok(average('inverted', (rgb) => borderMean(luminance(rgb), SIZE)) > 210);
    assert.ok(average('inverted', (rgb) => percentile(luminance(rgb), 0.01)) < 70);
  });

  it('low-contrast: a small intensity range', () => {
    const range = (rgb: Uint8Array): number => {
      const lum = luminance(rgb);
      return percentile(lum, 0.999) - percentile(lum, 0);
    };
    assert.ok(average('low-contrast', range) < 60);
    assert.ok(average('clean', range) > 180);
  });

  it('colored and textured: chroma', () => {
    assert.ok(average('colored', meanChroma) > 40);
    assert.ok(average('textured', meanChroma) > 20);
  });

  it('textured: backgrounds vary within an image, unlike flat paper', () => {
    const borderSpread = (rgb: Uint8Array): number => {
      const lum = luminance(rgb);
      const ring = lum.filter((_, i) => {
        const x = i % SIZE;
        const y = Math.floor(i / SIZE);
        return x === 0 || y === 0 || x === SIZE - 1 || y === SIZE - 1;
      });
      return percentile(ring, 0.9) - percentile(ring, 0.1);
    };
    assert.ok(average('textured', borderSpread) > 15);
    assert.ok(average('colored', borderSpread) < 1);
  });

  it('blur-noise: noisy background, softer strokes', () => {
    const neighbourDiff = (rgb: Uint8Array): number => {
      const lum = luminance(rgb);
      let sum = 0;
      for (let x = 0; x < SIZE - 1; x++) sum += Math.abs(lum[x]! - lum[x + 1]!);
      return sum / (SIZE - 1);
    };
    assert.ok(average('blur-noise', neighbourDiff) > 5 * average('clean', neighbourDiff) + 3);
  });

  it('thick: more ink than the source; shifted: less, and further from the centre', () => {
    const clean = average('clean', inkFraction);
    assert.ok(average('thick', inkFraction) > 1.5 * clean);
    assert.ok(average('shifted', inkFraction) < 0.7 * clean);
    const offCentre = (rgb: Uint8Array): number => {
      const lum = luminance(rgb);
      let m = 0;
      let mx = 0;
      let my = 0;
      lum.forEach((v, i) => {
        m += v;
        mx += v * ((i % SIZE) + 0.5);
        my += v * (Math.floor(i / SIZE) + 0.5);
      });
      return Math.hypot(mx / m - SIZE / 2, my / m - SIZE / 2);
    };
    assert.ok(average('shifted', offCentre) > 2 * average('clean', offCentre));
  });
});

describe('source placement', () => {
  it('mimics MNIST: ink box about 20 of 28 pixels, centre of mass near the centre', () => {
    const rng = createRng(5);
    let longer = 0;
    let offset = 0;
    const n = 200;
    for (let i = 0; i < n; i++) {
      const lum = luminance(renderDigit('clean', i % 10, rng, 28));
      let [x0, x1, y0, y1] = [28, -1, 28, -1];
      let m = 0;
      let mx = 0;
      let my = 0;
      lum.forEach((v, p) => {
        const x = p % 28;
        const y = Math.floor(p / 28);
        if (v > 64) [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
        m += v;
        mx += v * (x + 0.5);
        my += v * (y + 0.5);
      });
      longer += Math.max(x1 - x0 + 1, y1 - y0 + 1);
      offset += Math.hypot(mx / m - 14, my / m - 14);
    }
    assert.ok(longer / n > 17 && longer / n < 23, `mean box ${longer / n}`);
    assert.ok(offset / n < 2, `mean centre-of-mass offset ${offset / n}`);
  });
});
