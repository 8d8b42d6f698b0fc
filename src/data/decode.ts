// One decoded layout for everything downstream: RGB, 8 bits per channel, HWC, at a fixed size.
// Whatever the file holds (grey, alpha, CMYK, 16 bits, rotated by EXIF, animated) ends up here.

import sharp from 'sharp';
import { InputError } from '../errors.js';
import { DecodeGate } from './decode-gate.js';

/**
 * How the source's aspect ratio meets the target's: stretch it, crop the centre, pad, or the
 * ImageNet evaluation crop (scale to cover the target divided by 0.875, e.g. 256 for 224, and
 * keep the centre), which drops a border as the models saw in their own evaluation.
 */
export type ResizeMode = 'squash' | 'center-crop' | 'letterbox' | 'center-crop-0.875';

export const RESIZE_MODES: readonly ResizeMode[] = ['squash', 'center-crop', 'letterbox', 'center-crop-0.875'];

/** The share of each side the ImageNet evaluation crop keeps. */
const EVAL_CROP_FRACTION = 0.875;

export type Rgb = readonly [r: number, g: number, b: number];

/** A side length for square output, or [height, width]. */
export type ImageSize = number | readonly [height: number, width: number];

export interface DecodeArgs {
  size: ImageSize;
  /** Default 'squash'. */
  mode?: ResizeMode;
  /** Letterbox padding. Default black. */
  fill?: Rgb;
}

export interface ResolvedDecodeArgs {
  readonly height: number;
  readonly width: number;
  readonly mode: ResizeMode;
  readonly fill: Rgb;
}

const FIT: Record<ResizeMode, keyof sharp.FitEnum> = {
  squash: 'fill',
  'center-crop': 'cover',
  letterbox: 'contain',
  'center-crop-0.875': 'cover',
};

/** The size to scale to before taking the centre height×width: larger only for the eval crop. */
export function scaledSize(args: Pick<ResolvedDecodeArgs, 'height' | 'width' | 'mode'>): { height: number; width: number } {
  if (args.mode !== 'center-crop-0.875') return { height: args.height, width: args.width };
  return { height: Math.round(args.height / EVAL_CROP_FRACTION), width: Math.round(args.width / EVAL_CROP_FRACTION) };
}

export function resolveDecodeArgs(args: DecodeArgs): ResolvedDecodeArgs {
  const [height, width] = typeof args.size === 'number' ? [args.size, args.size] : args.size;
  for (const side of [height, width]) {
    if (!Number.isInteger(side) || side < 1) {
      throw new InputError(`image size must be a positive integer, got ${String(args.size)}`);
    }
  }
  const mode = args.mode ?? 'squash';
  if (!RESIZE_MODES.includes(mode)) {
    throw new InputError(`resize mode must be one of ${RESIZE_MODES.join(', ')}, got '${mode}'`);
  }
  const fill = args.fill ?? [0, 0, 0];
  if (fill.length !== 3 || fill.some((v) => !Number.isInteger(v) || v < 0 || v > 255)) {
    throw new InputError(`letterbox fill must be three integers in 0..255, got ${fill.join(',')}`);
  }
  return { height, width, mode, fill };
}

/** One for the process: every decode in it shares libvips' error buffer. */
const gate = new DecodeGate();

/**
 * Decodes a file (path or its bytes) to RGB uint8 HWC of length height*width*3.
 * Rejects (does not return a partial image) when the data is not a whole image. A failure is
 * decoded once more with no other decode running, so that its error names its own fault.
 */
export async function decodeImage(
  input: string | Buffer,
  args: ResolvedDecodeArgs,
): Promise<Uint8Array> {
  try {
    return await gate.shared(() => decodeOnce(input, args));
  } catch {
    return gate.exclusive(() => decodeOnce(input, args));
  }
}

async function decodeOnce(input: string | Buffer, args: ResolvedDecodeArgs): Promise<Uint8Array> {
  const [r, g, b] = args.fill;
  const scaled = scaledSize(args);
  // 'truncated' rejects cut-off files but tolerates the benign libjpeg warnings real photo
  // collections are full of; pages:1 takes the first frame of an animation.
  let pipeline = sharp(input, { failOn: 'truncated', pages: 1, page: 0 })
    .rotate()
    .flatten({ background: { r: 0, g: 0, b: 0 } })
    .toColourspace('srgb')
    .resize({
      height: scaled.height,
      width: scaled.width,
      fit: FIT[args.mode],
      position: 'centre',
      background: { r, g, b, alpha: 1 },
    });
  if (scaled.height !== args.height || scaled.width !== args.width) {
    // After resize(), sharp's extract() crops the resized image.
    pipeline = pipeline.extract({
      top: Math.floor((scaled.height - args.height) / 2),
      left: Math.floor((scaled.width - args.width) / 2),
      height: args.height,
      width: args.width,
    });
  }
  const { data, info } = await pipeline
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.height !== args.height || info.width !== args.width) {
    throw new Error(
      `decoded to ${info.height}x${info.width}x${info.channels}, expected ${args.height}x${args.width}x3`,
    );
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
