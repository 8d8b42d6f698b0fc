// Seeded augmentation on HWC images. Every function is pure: it draws only from the Rng it is
// given and never writes into its input, so the cache's pixels stay intact and a seed replays.

import type { Rng } from '../util/rng.js';
import type { AugmentHook } from './batches.js';

export type Pixels = Uint8Array | Float32Array;

export interface HwcImage<T extends Pixels = Pixels> {
  readonly data: T;
  readonly height: number;
  readonly width: number;
}

export interface AugmentArgs {
  /** Mirror left-right with probability 1/2. Turn off for digits and text, which a mirror changes. */
  flip?: boolean;
  /** Random resized crop; false keeps the whole frame. */
  crop?: boolean;
  /** Crop area as a share of the image, [min, max]. */
  scale?: readonly [number, number];
  /** Crop aspect ratio, width/height, [min, max]; drawn log-uniformly. */
  ratio?: readonly [number, number];
  /** Each factor is drawn from [1-v, 1+v]; 0 turns that jitter off. */
  brightness?: number;
  contrast?: number;
  saturation?: number;
}

export type ResolvedAugmentArgs = { readonly [K in keyof AugmentArgs]-?: NonNullable<AugmentArgs[K]> };

/**
 * Milder than ImageNet training recipes (whose crops go down to 8% of the area): fine-tuning sets
 * are small and often low-resolution, and a tiny crop of a digit or an insect is no longer one.
 */
export const AUGMENT_DEFAULTS: ResolvedAugmentArgs = {
  flip: true,
  crop: true,
  scale: [0.35, 1],
  ratio: [3 / 4, 4 / 3],
  brightness: 0.2,
  contrast: 0.2,
  saturation: 0.2,
};

export function resolveAugmentArgs(args: AugmentArgs = {}): ResolvedAugmentArgs {
  const resolved: ResolvedAugmentArgs = { ...AUGMENT_DEFAULTS, ...definedOnly(args) };
  const [sMin, sMax] = resolved.scale;
  if (!(sMin > 0 && sMin <= sMax && sMax <= 1)) throw new RangeError(`crop scale must satisfy 0 < min <= max <= 1, got [${sMin}, ${sMax}]`);
  const [rMin, rMax] = resolved.ratio;
  if (!(rMin > 0 && rMin <= rMax)) throw new RangeError(`crop ratio must satisfy 0 < min <= max, got [${rMin}, ${rMax}]`);
  for (const key of ['brightness', 'contrast', 'saturation'] as const) {
    if (!(resolved[key] >= 0)) throw new RangeError(`${key} jitter must be >= 0, got ${resolved[key]}`);
  }
  return resolved;
}

function definedOnly(args: AugmentArgs): AugmentArgs {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as AugmentArgs;
}

/** The batch stream's hook: works in float, so chained steps do not round to 8 bits in between. */
export function createAugmentHook(args: AugmentArgs = {}): AugmentHook {
  const resolved = resolveAugmentArgs(args);
  return (pixels, { height, width, rng }) =>
    augmentImage({ data: Float32Array.from(pixels), height, width }, rng, resolved).data;
}

/** Crop, then flip, then colour jitter. */
export function augmentImage<T extends Pixels>(
  image: HwcImage<T>,
  rng: Rng,
  args: ResolvedAugmentArgs,
): HwcImage<T> {
  let out = image;
  if (args.crop) out = randomResizedCrop(out, rng, args.scale, args.ratio);
  if (args.flip && rng.next() < 0.5) out = flipHorizontal(out);
  return colorJitter(out, rng, args);
}

export function flipHorizontal<T extends Pixels>(image: HwcImage<T>): HwcImage<T> {
  const { data, height, width } = image;
  const c = channelsOf(image);
  const out = like(data, data.length);
  const row = width * c;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const src = y * row + x * c;
      const dst = y * row + (width - 1 - x) * c;
      for (let k = 0; k < c; k++) out[dst + k] = data[src + k]!;
    }
  }
  return { data: out, height, width };
}

export interface CropBox {
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
}

/**
 * A box of random area share (scale) and aspect (ratio), placed uniformly. After ten misses
 * (a box that does not fit) it falls back to the largest centred box within the ratio range.
 */
export function sampleCropBox(
  height: number,
  width: number,
  rng: Rng,
  scale: readonly [number, number],
  ratio: readonly [number, number],
): CropBox {
  const area = height * width;
  const logLo = Math.log(ratio[0]);
  const logHi = Math.log(ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(logLo, logHi));
    const w = Math.round(Math.sqrt(target * aspect));
    const h = Math.round(Math.sqrt(target / aspect));
    if (w > 0 && h > 0 && w <= width && h <= height) {
      return { top: rng.int(height - h + 1), left: rng.int(width - w + 1), height: h, width: w };
    }
  }
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < ratio[0]) h = Math.round(width / ratio[0]);
  else if (inRatio > ratio[1]) w = Math.round(height * ratio[1]);
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}

export function randomResizedCrop<T extends Pixels>(
  image: HwcImage<T>,
  rng: Rng,
  scale: readonly [number, number],
  ratio: readonly [number, number],
): HwcImage<T> {
  return cropResize(image, sampleCropBox(image.height, image.width, rng, scale, ratio));
}

/**
 * Bilinear resample of box back to the image's own size, pixel centres aligned (like
 * align_corners=false), edges clamped to the box. No antialiasing: crops only ever enlarge.
 */
export function cropResize<T extends Pixels>(image: HwcImage<T>, box: CropBox): HwcImage<T> {
  const { data, height, width } = image;
  const c = channelsOf(image);
  const out = like(data, data.length);
  const round = data instanceof Uint8Array;
  const sy = box.height / height;
  const sx = box.width / width;
  const xs0 = new Int32Array(width);
  const xs1 = new Int32Array(width);
  const fx = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const u = clamp((x + 0.5) * sx - 0.5, 0, box.width - 1);
    const u0 = Math.floor(u);
    xs0[x] = (box.left + u0) * c;
    xs1[x] = (box.left + Math.min(u0 + 1, box.width - 1)) * c;
    fx[x] = u - u0;
  }
  const row = width * c;
  for (let y = 0; y < height; y++) {
    const v = clamp((y + 0.5) * sy - 0.5, 0, box.height - 1);
    const v0 = Math.floor(v);
    const r0 = (box.top + v0) * row;
    const r1 = (box.top + Math.min(v0 + 1, box.height - 1)) * row;
    const fy = v - v0;
    for (let x = 0; x < width; x++) {
      const a = fx[x]!;
      const dst = y * row + x * c;
      for (let k = 0; k < c; k++) {
        const top = data[r0 + xs0[x]! + k]! * (1 - a) + data[r0 + xs1[x]! + k]! * a;
        const bottom = data[r1 + xs0[x]! + k]! * (1 - a) + data[r1 + xs1[x]! + k]! * a;
        out[dst + k] = store(top * (1 - fy) + bottom * fy, round);
      }
    }
  }
  return { data: out, height, width };
}

/**
 * Brightness, contrast and saturation, in that order, each clamped to 0..255 as a real camera
 * would clip. Contrast pivots on the image's mean luma; saturation on each pixel's luma.
 * Needs 3 channels (RGB).
 */
export function colorJitter<T extends Pixels>(
  image: HwcImage<T>,
  rng: Rng,
  amounts: { readonly brightness: number; readonly contrast: number; readonly saturation: number },
): HwcImage<T> {
  const draw = (v: number): number => (v > 0 ? rng.uniform(Math.max(0, 1 - v), 1 + v) : 1);
  const b = draw(amounts.brightness);
  const k = draw(amounts.contrast);
  const s = draw(amounts.saturation);
  if (b === 1 && k === 1 && s === 1) return image;
  if (channelsOf(image) !== 3) throw new RangeError('colour jitter needs RGB images');
  const { data, height, width } = image;
  const n = height * width;
  const work = new Float32Array(data.length);
  let lumaSum = 0;
  for (let i = 0; i < data.length; i += 3) {
    const r = clip(data[i]! * b);
    const g = clip(data[i + 1]! * b);
    const bl = clip(data[i + 2]! * b);
    work[i] = r;
    work[i + 1] = g;
    work[i + 2] = bl;
    lumaSum += luma(r, g, bl);
  }
  const mean = lumaSum / n;
  const out = like(data, data.length);
  const round = data instanceof Uint8Array;
  for (let i = 0; i < data.length; i += 3) {
    const r = clip((work[i]! - mean) * k + mean);
    const g = clip((work[i + 1]! - mean) * k + mean);
    const bl = clip((work[i + 2]! - mean) * k + mean);
    const grey = luma(r, g, bl);
    out[i] = store(clip(grey + (r - grey) * s), round);
    out[i + 1] = store(clip(grey + (g - grey) * s), round);
    out[i + 2] = store(clip(grey + (bl - grey) * s), round);
  }
  return { data: out, height, width };
}

function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

function store(v: number, round: boolean): number {
  return round ? Math.round(v) : v;
}

function clip(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function channelsOf(image: HwcImage): number {
  const c = image.data.length / (image.height * image.width);
  if (!Number.isInteger(c) || c < 1) {
    throw new RangeError(`image data of length ${image.data.length} is not ${image.height}x${image.width}xC`);
  }
  return c;
}

function like<T extends Pixels>(data: T, length: number): T {
  return (data instanceof Uint8Array ? new Uint8Array(length) : new Float32Array(length)) as T;
}
