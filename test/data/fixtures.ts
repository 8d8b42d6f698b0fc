// Image fixtures written on the fly with sharp, so the repository carries no binary test data.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

export type Rgb = readonly [number, number, number];

export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'calibra-data-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Raw 8-bit pixels from a function of (x, y). */
export function rawPixels(
  width: number,
  height: number,
  colour: (x: number, y: number) => readonly number[],
  channels = 3,
): Buffer {
  const buf = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = colour(x, y);
      for (let k = 0; k < channels; k++) buf[(y * width + x) * channels + k] = c[k]!;
    }
  }
  return buf;
}

export function imageOf(
  width: number,
  height: number,
  colour: (x: number, y: number) => readonly number[],
  channels: 1 | 2 | 3 | 4 = 3,
): sharp.Sharp {
  return sharp(rawPixels(width, height, colour, channels), { raw: { width, height, channels } });
}

export async function ensureParent(path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  return path;
}

/** A lossless solid-colour PNG. */
export async function writeSolidPng(path: string, rgb: Rgb, size = 8): Promise<string> {
  await imageOf(size, size, () => rgb).png().toFile(await ensureParent(path));
  return path;
}

/** A real JPEG cut down to its first bytes: a valid header, then nothing. */
export async function writeTruncatedJpeg(path: string): Promise<string> {
  const whole = await imageOf(32, 32, (x, y) => [x * 8, y * 8, 128]).jpeg().toBuffer();
  await writeFile(await ensureParent(path), whole.subarray(0, Math.floor(whole.length / 3)));
  return path;
}

export async function writeBytes(path: string, bytes: string | Buffer): Promise<string> {
  await writeFile(await ensureParent(path), bytes);
  return path;
}

/** The RGB triple at (x, y) of HWC data. */
export function pixelAt(data: ArrayLike<number>, width: number, x: number, y: number): number[] {
  const i = (y * width + x) * 3;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

export function assertNear(actual: readonly number[], expected: readonly number[], tolerance: number, what: string): void {
  const ok = actual.length === expected.length && actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);
  if (!ok) throw new Error(`${what}: got [${actual.join(', ')}], expected [${expected.join(', ')}] ±${tolerance}`);
}
