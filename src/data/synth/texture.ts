// Procedural stand-ins for photo patches (MNIST-M cuts its backgrounds from BSDS500 photos).
// A patch of a photo is mostly smooth shading, some texture at a few scales, the odd object edge
// and a blob or two of another colour; each of those is a layer here, mixed at random.

import type { Rng } from '../../util/rng.js';
import { createImage, gaussianBlur, type FloatImage, type Rgb } from './raster.js';

/** A photo-like RGB patch of size × size, values in [0, 1]. */
export function photoTexture(size: number, rng: Rng): FloatImage {
  const image = createImage(size, size, 3);
  const d = image.data;

  // Shading: a gradient between two colours in a random direction.
  const a = photoColour(rng);
  const b = photoColour(rng);
  const theta = rng.uniform(0, 2 * Math.PI);
  const gx = Math.cos(theta) / size;
  const gy = Math.sin(theta) / size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = clamp01(0.5 + (x - size / 2) * gx + (y - size / 2) * gy);
      const p = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) d[p + c] = a[c]! + (b[c]! - a[c]!) * t;
    }
  }

  // Texture: fractal value noise tinting toward a third colour.
  const tint = photoColour(rng);
  const grain = fractalNoise(size, size * rng.uniform(0.12, 0.6), 2 + rng.int(4), rng);
  const strength = rng.uniform(0.3, 1);
  for (let i = 0; i < size * size; i++) blendAt(d, 3 * i, tint, strength * grain[i]!);

  if (rng.next() < 0.35) stripes(image, photoColour(rng), rng);
  const blotches = rng.next() < 0.6 ? 1 + rng.int(4) : 0;
  for (let k = 0; k < blotches; k++) blotch(image, photoColour(rng), rng);
  if (rng.next() < 0.4) edge(image, photoColour(rng), rng);
  if (rng.next() < 0.5) gaussianBlur(image, rng.uniform(0.3, 1.2) * (size / 32));

  // Sensor grain, shared across channels as in a real photo's luminance noise.
  const sd = rng.uniform(0, 0.03);
  for (let p = 0; p < d.length; p += 3) {
    const n = sd * rng.normal();
    d[p] = clamp01(d[p]! + n);
    d[p + 1] = clamp01(d[p + 1]! + n);
    d[p + 2] = clamp01(d[p + 2]! + n);
  }
  return image;
}

/** Colours of natural scenes: any hue, mostly muted, any brightness. */
export function photoColour(rng: Rng): Rgb {
  const s = rng.next() ** 1.5 * 0.85;
  const v = rng.uniform(0.1, 1);
  return hsvToRgb(rng.next(), s, v);
}

export function hsvToRgb(h: number, s: number, v: number): Rgb {
  const i = Math.floor(h * 6);
  const f = h * 6 - i;
  const p = v * (1 - s);
  const q = v * (1 - f * s);
  const t = v * (1 - (1 - f) * s);
  switch (((i % 6) + 6) % 6) {
    case 0:
      return [v, t, p];
    case 1:
      return [q, v, p];
    case 2:
      return [p, v, t];
    case 3:
      return [p, q, v];
    case 4:
      return [t, p, v];
    default:
      return [v, p, q];
  }
}

/** Rec. 601 luma, the brightness people perceive. */
export function luma([r, g, b]: Rgb): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/**
 * Value noise summed over octaves, each half the cell size and half the amplitude of the last,
 * normalised to [0, 1].
 */
export function fractalNoise(size: number, cell: number, octaves: number, rng: Rng): Float32Array {
  const out = new Float32Array(size * size);
  let amp = 1;
  let total = 0;
  for (let o = 0; o < octaves && cell >= 1; o++, cell /= 2, amp /= 2) {
    addValueNoise(out, size, cell, amp, rng);
    total += amp;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of out) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi - lo > 1e-6 ? hi - lo : total;
  for (let i = 0; i < out.length; i++) out[i] = (out[i]! - lo) / span;
  return out;
}

function addValueNoise(out: Float32Array, size: number, cell: number, amp: number, rng: Rng): void {
  const n = Math.ceil(size / cell) + 2;
  const lattice = new Float32Array(n * n);
  for (let i = 0; i < lattice.length; i++) lattice[i] = rng.next();
  // A random offset keeps lattice lines from lining up with the image's pixel grid.
  const ox = rng.next();
  const oy = rng.next();
  for (let y = 0; y < size; y++) {
    const fy = y / cell + oy;
    const iy = Math.floor(fy);
    const ty = smooth(fy - iy);
    for (let x = 0; x < size; x++) {
      const fx = x / cell + ox;
      const ix = Math.floor(fx);
      const tx = smooth(fx - ix);
      const v00 = lattice[iy * n + ix]!;
      const v01 = lattice[iy * n + ix + 1]!;
      const v10 = lattice[(iy + 1) * n + ix]!;
      const v11 = lattice[(iy + 1) * n + ix + 1]!;
      const top = v00 + (v01 - v00) * tx;
      const bottom = v10 + (v11 - v10) * tx;
      out[y * size + x]! += amp * (top + (bottom - top) * ty);
    }
  }
}

/** Wood grain, fabric, fences: bands along a random direction, warped a little by noise. */
function stripes(image: FloatImage, colour: Rgb, rng: Rng): void {
  const size = image.width;
  const theta = rng.uniform(0, Math.PI);
  const period = size * rng.uniform(0.08, 0.4);
  const k = (2 * Math.PI) / period;
  const cx = Math.cos(theta) * k;
  const cy = Math.sin(theta) * k;
  const warp = fractalNoise(size, size * 0.5, 2, rng);
  const warpAmp = rng.uniform(0, 3);
  const amount = rng.uniform(0.25, 0.8);
  const phase = rng.uniform(0, 2 * Math.PI);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const s = 0.5 + 0.5 * Math.sin(x * cx + y * cy + phase + warpAmp * warp[i]!);
      blendAt(image.data, 3 * i, colour, amount * s);
    }
  }
}

/** A soft-edged ellipse of another colour: a leaf, a stone, part of an object. */
function blotch(image: FloatImage, colour: Rgb, rng: Rng): void {
  const size = image.width;
  const cx = rng.uniform(-0.1, 1.1) * size;
  const cy = rng.uniform(-0.1, 1.1) * size;
  const rx = rng.uniform(0.08, 0.45) * size;
  const ry = rng.uniform(0.08, 0.45) * size;
  const theta = rng.uniform(0, Math.PI);
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const edge = rng.uniform(0.05, 0.6);
  const amount = rng.uniform(0.5, 1);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = ((x - cx) * cos + (y - cy) * sin) / rx;
      const v = (-(x - cx) * sin + (y - cy) * cos) / ry;
      const r = Math.sqrt(u * u + v * v);
      const t = clamp01((1 - r) / edge);
      if (t > 0) blendAt(image.data, 3 * (y * size + x), colour, amount * t);
    }
  }
}

/** An object boundary: a half-plane tinted toward another colour, with a slightly soft edge. */
function edge(image: FloatImage, colour: Rgb, rng: Rng): void {
  const size = image.width;
  const theta = rng.uniform(0, 2 * Math.PI);
  const nx = Math.cos(theta);
  const ny = Math.sin(theta);
  const offset = rng.uniform(-0.35, 0.35) * size;
  const soft = rng.uniform(0.5, 2);
  const amount = rng.uniform(0.4, 1);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const s = (x - size / 2) * nx + (y - size / 2) * ny - offset;
      const t = clamp01(0.5 + s / soft);
      if (t > 0) blendAt(image.data, 3 * (y * size + x), colour, amount * t);
    }
  }
}

function blendAt(d: Float32Array, p: number, colour: Rgb, amount: number): void {
  for (let c = 0; c < 3; c++) d[p + c]! += (colour[c]! - d[p + c]!) * amount;
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
