// One person writing one digit: a glyph variant, bent by an unsteady hand, then placed in the
// image the way MNIST placed its scans (longer side of the ink box scaled to about 20 of 28
// pixels, centre of mass at the image centre), with some spread so that real data that was
// placed a little differently is not out of distribution.

import type { Rng } from '../../util/rng.js';
import { GLYPHS, type GlyphVariant, type Point, type Stroke } from './glyphs.js';

export type Range = readonly [number, number];

export interface HandwritingArgs {
  /** Stroke width as a fraction of the image size, drawn log-uniformly. */
  readonly width: Range;
  /** Longer side of the ink's bounding box, stroke width included, as a fraction of the image size. */
  readonly fit: Range;
  /** Spread of the ink's centre of mass around the image centre, as a fraction of the image size. */
  readonly centreSd: number;
  /** Shear: x moves by slant × height above the middle, so a positive slant leans right. */
  readonly slantMean: number;
  readonly slantSd: number;
  readonly rotationSdDeg: number;
  /** Width multiplier before fitting, drawn log-uniformly: narrow and wide writers. */
  readonly aspect: Range;
  /** Spread of every glyph control point, in glyph units (the glyph is about 1 high). */
  readonly jitter: number;
  /**
   * Largest fraction of a stroke's length the pen may lift early or land late at each end,
   * which opens loops and leaves gaps at joins as hurried writing does.
   */
  readonly trim: number;
  /**
   * Spread of how far the glyph's middle moves up or down, in glyph units: people differ in
   * how big they make the upper and lower halves of 3, 5, 8 and 9.
   */
  readonly balance: number;
  /** Largest amplitude of the smooth elastic displacement, in glyph units. */
  readonly wobble: number;
  /** Relative stroke-width variation along a stroke, as pen pressure changes. */
  readonly pressure: number;
  /** Width in pixels of the stroke's edge ramp; about 1 is a crisp anti-aliased edge. */
  readonly softness: Range;
}

/** The source domain's writer, tuned by eye on contact sheets to look like MNIST's writers. */
export const DEFAULT_HANDWRITING: HandwritingArgs = {
  width: [0.06, 0.15],
  fit: [0.64, 0.78],
  centreSd: 0.025,
  slantMean: 0.15,
  slantSd: 0.18,
  rotationSdDeg: 7,
  aspect: [0.75, 1.3],
  jitter: 0.028,
  trim: 0.08,
  balance: 0.06,
  wobble: 0.04,
  pressure: 0.2,
  softness: [0.9, 1.6],
};

/** A written digit in pixel coordinates, ready to rasterise. */
export interface Handwriting {
  readonly strokes: readonly { readonly xy: Float64Array; readonly radii: Float64Array }[];
  readonly softness: number;
}

// Straight segments get pieces too, so that the elastic wobble can bend them.
const PIECES = { L: 4, Q: 6, C: 10 } as const;

/** Writes `digit` (0..9) into a size × size pixel frame. */
export function writeDigit(digit: number, size: number, args: HandwritingArgs, rng: Rng): Handwriting {
  const variants = GLYPHS[digit];
  if (variants === undefined) throw new RangeError(`no glyph for digit ${digit}`);
  const glyph = pickVariant(variants, rng);

  // Some writers are sloppier than others; squaring keeps most pen lifts small.
  const sloppiness = args.jitter * rng.uniform(0.4, 1.6);
  const polylines = glyph.strokes.map((stroke) => {
    const xy = flatten(jitterStroke(stroke, sloppiness, rng));
    return trimEnds(xy, args.trim * rng.next() ** 2, args.trim * rng.next() ** 2);
  });

  bend(polylines, args, rng);

  const widthPx = size * logUniform(args.width, rng);
  const radius = widthPx / 2;
  const box = bounds(polylines);
  const longer = Math.max(box.maxX - box.minX, box.maxY - box.minY, 1e-6);
  const scale = Math.max(size * rng.uniform(args.fit[0], args.fit[1]) - widthPx, 1) / longer;

  const strokes = polylines.map((xy) => {
    for (let i = 0; i < xy.length; i++) xy[i]! *= scale;
    return { xy, radii: pressureRadii(xy, radius, args.pressure, size, rng) };
  });

  const [comX, comY] = centreOfMass(strokes);
  const reach = Math.max(...strokes.map((s) => Math.max(...s.radii)));
  let shiftX = size / 2 + size * args.centreSd * rng.normal() - comX;
  let shiftY = size / 2 + size * args.centreSd * rng.normal() - comY;
  // Keep the ink inside the frame: MNIST never cut a digit off.
  shiftX = keepInside(shiftX, box.minX * scale - reach, box.maxX * scale + reach, size);
  shiftY = keepInside(shiftY, box.minY * scale - reach, box.maxY * scale + reach, size);
  for (const { xy } of strokes) {
    for (let i = 0; i < xy.length; i += 2) {
      xy[i]! += shiftX;
      xy[i + 1]! += shiftY;
    }
  }
  return { strokes, softness: rng.uniform(args.softness[0], args.softness[1]) };
}

function pickVariant(variants: readonly GlyphVariant[], rng: Rng): GlyphVariant {
  const total = variants.reduce((s, v) => s + v.weight, 0);
  let r = rng.next() * total;
  for (const v of variants) {
    r -= v.weight;
    if (r < 0) return v;
  }
  return variants[variants.length - 1]!;
}

function jitterStroke(stroke: Stroke, sd: number, rng: Rng): Stroke {
  const j = (p: Point): Point => [p[0] + sd * rng.normal(), p[1] + sd * rng.normal()];
  return {
    start: j(stroke.start),
    segments: stroke.segments.map((s) => {
      switch (s.kind) {
        case 'L':
          return { kind: 'L', to: j(s.to) };
        case 'Q':
          return { kind: 'Q', c: j(s.c), to: j(s.to) };
        case 'C':
          return { kind: 'C', c1: j(s.c1), c2: j(s.c2), to: j(s.to) };
      }
    }),
  };
}

function flatten(stroke: Stroke): Float64Array {
  const count = 1 + stroke.segments.reduce((n, s) => n + PIECES[s.kind], 0);
  const out = new Float64Array(2 * count);
  let [x, y] = stroke.start;
  out[0] = x;
  out[1] = y;
  let k = 2;
  for (const s of stroke.segments) {
    const n = PIECES[s.kind];
    for (let i = 1; i <= n; i++) {
      const t = i / n;
      const u = 1 - t;
      let px: number;
      let py: number;
      if (s.kind === 'L') {
        px = x + (s.to[0] - x) * t;
        py = y + (s.to[1] - y) * t;
      } else if (s.kind === 'Q') {
        px = u * u * x + 2 * u * t * s.c[0] + t * t * s.to[0];
        py = u * u * y + 2 * u * t * s.c[1] + t * t * s.to[1];
      } else {
        px = u * u * u * x + 3 * u * u * t * s.c1[0] + 3 * u * t * t * s.c2[0] + t * t * t * s.to[0];
        py = u * u * u * y + 3 * u * u * t * s.c1[1] + 3 * u * t * t * s.c2[1] + t * t * t * s.to[1];
      }
      out[k++] = px;
      out[k++] = py;
    }
    [x, y] = s.to;
  }
  return out;
}

/** Cuts the given fractions of arc length off the start and the end of a polyline. */
function trimEnds(xy: Float64Array, startFrac: number, endFrac: number): Float64Array {
  const n = xy.length >> 1;
  const cumulative = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    cumulative[i] = cumulative[i - 1]! + Math.hypot(xy[2 * i]! - xy[2 * i - 2]!, xy[2 * i + 1]! - xy[2 * i - 1]!);
  }
  const length = cumulative[n - 1]!;
  const from = startFrac * length;
  const to = (1 - endFrac) * length;
  if (n < 2 || to - from < 1e-9 || (from === 0 && to === length)) return xy;
  const at = (s: number): [number, number] => {
    let i = 1;
    while (i < n - 1 && cumulative[i]! < s) i++;
    const seg = cumulative[i]! - cumulative[i - 1]!;
    const t = seg > 0 ? (s - cumulative[i - 1]!) / seg : 0;
    return [xy[2 * i - 2]! + (xy[2 * i]! - xy[2 * i - 2]!) * t, xy[2 * i - 1]! + (xy[2 * i + 1]! - xy[2 * i - 1]!) * t];
  };
  const out: number[] = [...at(from)];
  for (let i = 0; i < n; i++) {
    if (cumulative[i]! > from && cumulative[i]! < to) out.push(xy[2 * i]!, xy[2 * i + 1]!);
  }
  out.push(...at(to));
  return Float64Array.from(out);
}

/**
 * Moves the middle up or down, adds a smooth elastic wobble, then applies aspect, slant and
 * rotation about the glyph centre. The wobble is a sum of two low-frequency plane waves per
 * axis: smooth enough to bend a stroke, never to kink it.
 */
function bend(polylines: Float64Array[], args: HandwritingArgs, rng: Rng): void {
  const wave = (): Wave => ({
    amp: args.wobble * rng.next(),
    fx: rng.uniform(-1.5, 1.5) * 2 * Math.PI,
    fy: rng.uniform(-1.5, 1.5) * 2 * Math.PI,
    phase: rng.uniform(0, 2 * Math.PI),
  });
  const wx = [wave(), wave()] as const;
  const wy = [wave(), wave()] as const;
  const balance = args.balance * rng.normal();
  const aspect = logUniform(args.aspect, rng);
  const slant = args.slantMean + args.slantSd * rng.normal();
  const angle = ((args.rotationSdDeg * Math.PI) / 180) * rng.normal();
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (const xy of polylines) {
    for (let i = 0; i < xy.length; i += 2) {
      const x0 = xy[i]!;
      const y0 = xy[i + 1]! + balance * Math.sin(Math.PI * clamp01(xy[i + 1]!));
      const x = x0 + displace(wx[0], x0, y0) + displace(wx[1], x0, y0) - 0.5;
      const y = y0 + displace(wy[0], x0, y0) + displace(wy[1], x0, y0) - 0.5;
      const sx = x * aspect - slant * y;
      xy[i] = cos * sx - sin * y;
      xy[i + 1] = sin * sx + cos * y;
    }
  }
}

interface Wave {
  readonly amp: number;
  readonly fx: number;
  readonly fy: number;
  readonly phase: number;
}

function displace(w: Wave, x: number, y: number): number {
  return w.amp * Math.sin(w.fx * x + w.fy * y + w.phase);
}

/** Width varies smoothly along the stroke's length, in phase with nothing else. */
function pressureRadii(xy: Float64Array, radius: number, pressure: number, size: number, rng: Rng): Float64Array {
  const n = xy.length >> 1;
  const radii = new Float64Array(n);
  const period = size * rng.uniform(0.4, 1.2);
  const phase = rng.uniform(0, 2 * Math.PI);
  const amp = pressure * rng.next();
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) s += Math.hypot(xy[2 * i]! - xy[2 * i - 2]!, xy[2 * i + 1]! - xy[2 * i - 1]!);
    radii[i] = radius * (1 + amp * Math.sin((2 * Math.PI * s) / period + phase));
  }
  return radii;
}

function bounds(polylines: readonly Float64Array[]): { minX: number; maxX: number; minY: number; maxY: number } {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const xy of polylines) {
    for (let i = 0; i < xy.length; i += 2) {
      minX = Math.min(minX, xy[i]!);
      maxX = Math.max(maxX, xy[i]!);
      minY = Math.min(minY, xy[i + 1]!);
      maxY = Math.max(maxY, xy[i + 1]!);
    }
  }
  return { minX, maxX, minY, maxY };
}

/** Ink mass of each piece is its length times its width; close enough to the raster's. */
function centreOfMass(strokes: readonly { xy: Float64Array; radii: Float64Array }[]): [number, number] {
  let m = 0;
  let mx = 0;
  let my = 0;
  for (const { xy, radii } of strokes) {
    for (let i = 1; i < radii.length; i++) {
      const ax = xy[2 * i - 2]!;
      const ay = xy[2 * i - 1]!;
      const bx = xy[2 * i]!;
      const by = xy[2 * i + 1]!;
      const w = Math.hypot(bx - ax, by - ay) * (radii[i - 1]! + radii[i]!) + 1e-9;
      m += w;
      mx += (w * (ax + bx)) / 2;
      my += (w * (ay + by)) / 2;
    }
  }
  return [mx / m, my / m];
}

function keepInside(shift: number, lo: number, hi: number, size: number): number {
  if (hi - lo >= size) return (size - lo - hi) / 2;
  if (lo + shift < 0) return -lo;
  if (hi + shift > size) return size - hi;
  return shift;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

function logUniform([lo, hi]: Range, rng: Rng): number {
  return Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
}
