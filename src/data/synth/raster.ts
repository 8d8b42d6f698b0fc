// Float images and the few operations the synthetic domains need. Everything works on
// interleaved (HWC) Float32 data in [0, 1]; conversion to bytes happens once, at the end.

import type { Rng } from '../../util/rng.js';

export type Rgb = readonly [number, number, number];

export interface FloatImage {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Float32Array;
}

export function createImage(width: number, height: number, channels: number): FloatImage {
  return { width, height, channels, data: new Float32Array(width * height * channels) };
}

/**
 * Draws a thick polyline into a one-channel coverage image by distance to each segment, so
 * caps and joins come out round for free. Coverage ramps over `softness` pixels around the
 * stroke edge: about 1 px is a crisp anti-aliased edge, more looks like a soft pen.
 * Coverage combines by max, so overlaps and joins never get brighter than the stroke itself.
 *
 * @param xy interleaved x, y pixel coordinates (pixel i covers [i, i+1))
 * @param radii half-width at each point, in pixels
 */
export function drawPolyline(
  coverage: FloatImage,
  xy: ArrayLike<number>,
  radii: ArrayLike<number>,
  softness: number,
): void {
  const { width, height, data } = coverage;
  const invSoft = 1 / softness;
  const points = xy.length >> 1;
  if (points === 0) return;
  for (let k = 0; k < Math.max(points - 1, 1); k++) {
    const j = Math.min(k + 1, points - 1);
    const ax = xy[2 * k]!;
    const ay = xy[2 * k + 1]!;
    const bx = xy[2 * j]!;
    const by = xy[2 * j + 1]!;
    const ra = radii[k]!;
    const rb = radii[j]!;
    const reach = Math.max(ra, rb) + softness;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - reach));
    const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + reach));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by) - reach));
    const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + reach));
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const invLen2 = len2 > 1e-12 ? 1 / len2 : 0;
    for (let py = y0; py <= y1; py++) {
      const cy = py + 0.5 - ay;
      const row = py * width;
      for (let px = x0; px <= x1; px++) {
        const cx = px + 0.5 - ax;
        let t = (cx * dx + cy * dy) * invLen2;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = cx - t * dx;
        const ey = cy - t * dy;
        const d = Math.sqrt(ex * ex + ey * ey);
        const c = (ra + (rb - ra) * t - d) * invSoft + 0.5;
        if (c > data[row + px]!) data[row + px] = c > 1 ? 1 : c;
      }
    }
  }
}

/** Separable Gaussian blur with clamped edges. Sigma is in pixels. */
export function gaussianBlur(image: FloatImage, sigma: number): void {
  if (sigma < 0.05) return;
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const w = Math.exp((-i * i) / (2 * sigma * sigma));
    kernel[i + radius] = w;
    sum += w;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  const { width, height, channels, data } = image;
  const tmp = new Float32Array(data.length);
  convolve1d(data, tmp, width, height, channels, kernel, radius, true);
  convolve1d(tmp, data, width, height, channels, kernel, radius, false);
}

function convolve1d(
  src: Float32Array,
  dst: Float32Array,
  width: number,
  height: number,
  channels: number,
  kernel: Float32Array,
  radius: number,
  horizontal: boolean,
): void {
  const n = horizontal ? width : height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const pos = horizontal ? x : y;
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) {
          const q = Math.min(n - 1, Math.max(0, pos + k));
          const idx = horizontal ? (y * width + q) * channels + c : (q * width + x) * channels + c;
          acc += kernel[k + radius]! * src[idx]!;
        }
        dst[(y * width + x) * channels + c] = acc;
      }
    }
  }
}

/**
 * Adds zero-mean Gaussian noise. `mono` adds the same value to every channel of a pixel, which
 * keeps a grey image grey.
 */
export function addGaussianNoise(image: FloatImage, sd: number, rng: Rng, mono: boolean): void {
  const { channels, data } = image;
  for (let p = 0; p < data.length; p += channels) {
    const shared = mono ? sd * rng.normal() : 0;
    for (let c = 0; c < channels; c++) data[p + c]! += mono ? shared : sd * rng.normal();
  }
}

/** ink over paper, weighted by coverage. */
export function compositeOver(coverage: FloatImage, paper: Rgb, ink: Rgb): FloatImage {
  const out = createImage(coverage.width, coverage.height, 3);
  const cov = coverage.data;
  const o = out.data;
  for (let i = 0; i < cov.length; i++) {
    const a = cov[i]!;
    o[3 * i] = paper[0] + (ink[0] - paper[0]) * a;
    o[3 * i + 1] = paper[1] + (ink[1] - paper[1]) * a;
    o[3 * i + 2] = paper[2] + (ink[2] - paper[2]) * a;
  }
  return out;
}

/**
 * |background - coverage| per channel, in place on the background: the digit shows in the
 * background's inverted colours, the way MNIST-M blends MNIST over photo patches.
 */
export function compositeDifference(coverage: FloatImage, background: FloatImage): FloatImage {
  const cov = coverage.data;
  const o = background.data;
  for (let i = 0; i < cov.length; i++) {
    const a = cov[i]!;
    o[3 * i] = Math.abs(o[3 * i]! - a);
    o[3 * i + 1] = Math.abs(o[3 * i + 1]! - a);
    o[3 * i + 2] = Math.abs(o[3 * i + 2]! - a);
  }
  return background;
}

export function toBytes(image: FloatImage): Uint8Array {
  const src = image.data;
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]! * 255 + 0.5;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : v;
  }
  return out;
}
