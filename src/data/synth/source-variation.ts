// Label-preserving variation of source digits for pretraining: exposure (gain and black level),
// focus, sensor noise, and framing. Real handwriting scans vary in all of these, so a model that
// has seen them generalises further from the synthetic source. It never inverts polarity, adds
// colour or texture: those stay domain shifts for adaptation to handle.
import type { Rng } from '../../util/rng.js';
import { augmentImage, resolveAugmentArgs } from '../augment.js';
import { addGaussianNoise, gaussianBlur, type FloatImage } from './raster.js';

const FRAMING = resolveAugmentArgs({ flip: false, crop: true, scale: [0.7, 1], ratio: [0.85, 1.18], brightness: 0, contrast: 0, saturation: 0 });

/** RGB bytes in, RGB values in 0..255 out (float, same length). */
export function varySourceDigit(pixels: Uint8Array, size: number, rng: Rng): Float32Array {
  const image: FloatImage = { width: size, height: size, channels: 3, data: Float32Array.from(pixels, (v) => v / 255) };
  if (rng.next() < 0.3) gaussianBlur(image, rng.uniform(0.3, 1) * (size / 32));
  // Strokes stay brighter than the background: background → black, stroke → black + gain ≤ 1.
  const gain = rng.uniform(0.45, 1);
  const black = rng.uniform(0, 1 - gain) * 0.5;
  for (let i = 0; i < image.data.length; i++) image.data[i] = black + gain * image.data[i]!;
  if (rng.next() < 0.5) addGaussianNoise(image, rng.uniform(0, 0.06), rng, true);
  const framed = augmentImage({ data: image.data, height: size, width: size }, rng, FRAMING).data;
  return Float32Array.from(framed, (v) => 255 * Math.min(1, Math.max(0, v)));
}
