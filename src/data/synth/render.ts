// One labelled digit image for a domain. Pretraining calls this in an endless stream, so it
// renders straight at the output size with analytic anti-aliasing instead of supersampling.

import type { Rng } from '../../util/rng.js';
import { SYNTH_DEFAULTS } from './defaults.js';
import { getDomain, type Look, type RenderParams } from './domains.js';
import { writeDigit } from './handwriting.js';
import {
  addGaussianNoise,
  compositeDifference,
  compositeOver,
  createImage,
  drawPolyline,
  gaussianBlur,
  toBytes,
  type FloatImage,
  type Rgb,
} from './raster.js';
import { hsvToRgb, luma, photoTexture } from './texture.js';

/**
 * Renders digit `label` (0..9) in domain `domainId` as RGB bytes, HWC, size × size × 3.
 * Draws only from `rng`, and always two values from it, so the same rng state gives the same
 * image, and the same seed gives the same sequence of handwritten digits in every domain.
 *
 * @throws InputError for an unknown domain
 */
export function renderDigit(domainId: string, label: number, rng: Rng, size: number = SYNTH_DEFAULTS.size): Uint8Array {
  if (!Number.isInteger(label) || label < 0 || label > 9) throw new RangeError(`label must be 0..9, got ${label}`);
  if (!Number.isInteger(size) || size < 8) throw new RangeError(`size must be an integer >= 8, got ${size}`);
  return toBytes(renderImage(getDomain(domainId).render, label, rng, size));
}

// The writer and the look draw from separate forks, so one rng state writes the same digit in
// every domain: sets made with one seed are paired across domains, differing only in the shift.
function renderImage(params: RenderParams, label: number, rng: Rng, size: number): FloatImage {
  const writer = rng.fork();
  const looks = rng.fork();
  const coverage = createImage(size, size, 1);
  const hand = writeDigit(label, size, params.handwriting, writer);
  for (const stroke of hand.strokes) drawPolyline(coverage, stroke.xy, stroke.radii, hand.softness);

  const image = paint(params.look, coverage, looks);
  if (params.blur) gaussianBlur(image, looks.uniform(params.blur[0], params.blur[1]) * (size / 32));
  if (params.noise) addGaussianNoise(image, looks.uniform(params.noise[0], params.noise[1]), looks, true);
  return image;
}

function paint(look: Look, coverage: FloatImage, rng: Rng): FloatImage {
  switch (look.kind) {
    case 'grey': {
      const paper = rng.uniform(look.paper[0], look.paper[1]);
      const ink = Math.min(1, Math.max(0, paper + rng.uniform(look.contrast[0], look.contrast[1])));
      return compositeOver(coverage, [paper, paper, paper], [ink, ink, ink]);
    }
    case 'colour': {
      const [paper, ink] = contrastingColours(look.minLumaGap, rng);
      return compositeOver(coverage, paper, ink);
    }
    case 'photo':
      return compositeDifference(coverage, photoTexture(coverage.width, rng));
  }
}

/**
 * Saturated paper and ink that differ in brightness, since a hue change alone reads poorly.
 * A gap no random colour reaches falls back to black or white ink.
 */
function contrastingColours(minLumaGap: number, rng: Rng): [Rgb, Rgb] {
  const colour = (): Rgb => hsvToRgb(rng.next(), rng.uniform(0.35, 1), rng.uniform(0.15, 1));
  const paper = colour();
  for (let attempt = 0; attempt < 50; attempt++) {
    const ink = colour();
    if (Math.abs(luma(ink) - luma(paper)) >= minLumaGap) return [paper, ink];
  }
  return [paper, luma(paper) < 0.5 ? [1, 1, 1] : [0, 0, 0]];
}
