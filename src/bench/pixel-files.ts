// The decoded pixels of a bench case's images, written as raw files for the PyTorch side, so
// that both sides work on the same images and neither side's decoder is timed.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchSource } from '../train/batch-source.js';

export interface DecodedImages {
  /** n × h × w × 3, 0..255 RGB, HWC per image. */
  pixels: Uint8Array;
  /** -1 for unlabelled images. */
  labels: Int32Array;
}

export interface ExportedPixels {
  dir: string;
  /** n × h × w × 3 uint8, in the order Calibra's side reads the images. */
  pixels: string;
  /** n int32. */
  labels: string;
  n: number;
}

/** One pass over a feed's first epoch, in feed order, as the model takes the images. */
export async function decodeAll(source: BatchSource): Promise<DecodedImages> {
  const pixels: Uint8Array[] = [];
  const labels: number[] = [];
  for await (const batch of source(0)) {
    pixels.push(Uint8Array.from(batch.x));
    labels.push(...batch.y);
  }
  return { pixels: Buffer.concat(pixels), labels: Int32Array.from(labels) };
}

/** Writes into a fresh temporary folder, which the caller removes. */
export async function writePixelFiles(images: DecodedImages): Promise<ExportedPixels> {
  const dir = await mkdtemp(join(tmpdir(), 'calibra-bench-'));
  await writeFile(join(dir, 'pixels.u8'), images.pixels);
  await writeFile(join(dir, 'labels.i32'), new Uint8Array(images.labels.buffer));
  return { dir, pixels: join(dir, 'pixels.u8'), labels: join(dir, 'labels.i32'), n: images.labels.length };
}
