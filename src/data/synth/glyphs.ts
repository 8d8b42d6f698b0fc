// Digits as pen strokes. Each variant is a way people actually write the digit, drawn in the
// order and direction a pen travels, so that jitter and wobble bend it the way a hand would.
// Coordinates sit in a unit box, x to the right and y downwards; proportions matter, the
// absolute box does not, because handwriting.ts refits every sample to its own box.

export type Point = readonly [number, number];

export type Segment =
  | { readonly kind: 'L'; readonly to: Point }
  | { readonly kind: 'Q'; readonly c: Point; readonly to: Point }
  | { readonly kind: 'C'; readonly c1: Point; readonly c2: Point; readonly to: Point };

/** One pen-down movement. */
export interface Stroke {
  readonly start: Point;
  readonly segments: readonly Segment[];
}

export interface GlyphVariant {
  readonly name: string;
  /** Relative frequency among this digit's variants, a rough guess at how often people write it. */
  readonly weight: number;
  readonly strokes: readonly Stroke[];
}

/**
 * Parses a small subset of SVG path syntax (absolute M, L, Q, C). Each M starts a new stroke.
 * Glyphs are written this way because a path string reads like the pen's movement.
 */
export function parseStrokes(path: string): Stroke[] {
  const tokens = path.trim().split(/[\s,]+/);
  const strokes: Stroke[] = [];
  let start: Point | null = null;
  let segments: Segment[] = [];
  let i = 0;
  const num = (): number => {
    const token = tokens[i++];
    const v = Number(token);
    if (token === undefined || !Number.isFinite(v)) throw new Error(`glyph path: bad number ${token} in "${path}"`);
    return v;
  };
  const point = (): Point => [num(), num()];
  const flush = (): void => {
    if (start !== null && segments.length > 0) strokes.push({ start, segments });
  };
  while (i < tokens.length) {
    const op = tokens[i++];
    if (op === 'M') {
      flush();
      start = point();
      segments = [];
      continue;
    }
    if (start === null) throw new Error(`glyph path: must begin with M: "${path}"`);
    if (op === 'L') segments.push({ kind: 'L', to: point() });
    else if (op === 'Q') segments.push({ kind: 'Q', c: point(), to: point() });
    else if (op === 'C') segments.push({ kind: 'C', c1: point(), c2: point(), to: point() });
    else throw new Error(`glyph path: unknown command ${op} in "${path}"`);
  }
  flush();
  return strokes;
}

const variant = (name: string, weight: number, path: string): GlyphVariant => ({
  name,
  weight,
  strokes: parseStrokes(path),
});

/** Indexed by digit. */
export const GLYPHS: readonly (readonly GlyphVariant[])[] = [
  [
    variant('oval', 4, 'M 0.52 0.02 C 0.3 0.02 0.18 0.26 0.18 0.52 C 0.18 0.8 0.32 1 0.5 1 C 0.7 1 0.82 0.78 0.82 0.5 C 0.82 0.22 0.7 0.02 0.52 0.02'),
    variant('overlap', 3, 'M 0.62 0.06 C 0.42 -0.04 0.2 0.2 0.2 0.52 C 0.2 0.82 0.34 1 0.52 1 C 0.72 1 0.82 0.74 0.8 0.46 C 0.78 0.16 0.64 0 0.44 0.08'),
    variant('narrow', 2, 'M 0.55 0 C 0.4 0 0.3 0.25 0.3 0.5 C 0.3 0.78 0.38 1 0.5 1 C 0.62 1 0.7 0.76 0.7 0.5 C 0.7 0.22 0.64 0 0.5 0.04'),
    variant('egg', 2, 'M 0.5 0.02 C 0.2 0.04 0.1 0.5 0.2 0.78 C 0.28 1 0.66 1.02 0.78 0.76 C 0.9 0.46 0.78 0 0.5 0.02'),
  ],
  [
    variant('stick', 6, 'M 0.52 0 L 0.5 1'),
    variant('bent stick', 3, 'M 0.56 0 Q 0.44 0.45 0.48 1'),
    variant('flag', 3, 'M 0.32 0.22 L 0.56 0 L 0.54 1'),
    variant('flag and base', 1, 'M 0.32 0.2 L 0.56 0 L 0.54 1 M 0.26 1 L 0.82 0.99'),
  ],
  [
    variant('plain', 4, 'M 0.2 0.26 C 0.22 0.06 0.46 -0.02 0.6 0.02 C 0.84 0.1 0.82 0.38 0.66 0.54 C 0.52 0.7 0.32 0.84 0.18 0.98 L 0.86 0.97'),
    variant('loop', 3, 'M 0.2 0.22 C 0.26 0.02 0.76 -0.04 0.78 0.26 C 0.8 0.5 0.5 0.7 0.32 0.86 C 0.2 0.98 0.06 0.86 0.18 0.8 C 0.3 0.76 0.34 0.92 0.46 0.95 L 0.86 0.95'),
    variant('swan', 2, 'M 0.18 0.24 C 0.24 -0.02 0.8 -0.02 0.76 0.3 C 0.72 0.52 0.36 0.76 0.2 0.96 C 0.42 0.88 0.62 0.92 0.86 1'),
    variant('hooked', 1, 'M 0.26 0.16 C 0.36 0 0.72 0 0.74 0.22 C 0.76 0.44 0.4 0.66 0.2 0.96 C 0.4 0.94 0.6 0.98 0.82 0.96'),
  ],
  [
    variant('round', 4, 'M 0.2 0.14 C 0.34 -0.03 0.78 -0.02 0.76 0.22 C 0.74 0.4 0.56 0.46 0.4 0.47 C 0.62 0.47 0.84 0.58 0.82 0.76 C 0.8 1 0.34 1.04 0.16 0.86'),
    variant('flat top', 2, 'M 0.2 0.02 L 0.76 0.02 L 0.42 0.4 C 0.72 0.38 0.86 0.58 0.82 0.76 C 0.78 1 0.32 1.02 0.16 0.86'),
    variant('small top', 2, 'M 0.26 0.12 C 0.4 -0.02 0.72 0 0.68 0.2 C 0.66 0.34 0.52 0.4 0.42 0.42 C 0.66 0.44 0.86 0.56 0.84 0.76 C 0.82 1 0.36 1.04 0.14 0.88'),
    variant('cusp', 2, 'M 0.18 0.1 C 0.38 -0.04 0.8 0.02 0.72 0.22 C 0.66 0.36 0.5 0.44 0.36 0.5 C 0.56 0.46 0.86 0.56 0.82 0.78 C 0.78 1 0.36 1.02 0.2 0.9'),
  ],
  [
    variant('open', 4, 'M 0.24 0 L 0.18 0.6 L 0.86 0.6 M 0.68 0.06 L 0.66 1'),
    variant('closed', 3, 'M 0.66 1 L 0.66 0 L 0.14 0.62 L 0.88 0.62'),
    variant('open slanted', 2, 'M 0.4 0 L 0.14 0.6 L 0.84 0.58 M 0.66 0.22 L 0.62 1'),
    variant('open short stem', 2, 'M 0.2 0 Q 0.16 0.4 0.2 0.56 Q 0.5 0.6 0.86 0.5 M 0.7 0 L 0.68 1'),
  ],
  [
    variant('one stroke', 3, 'M 0.78 0.02 L 0.32 0.02 L 0.27 0.42 C 0.46 0.32 0.8 0.36 0.8 0.66 C 0.8 0.98 0.36 1.02 0.18 0.86'),
    variant('two strokes', 4, 'M 0.32 0.02 L 0.26 0.44 C 0.46 0.32 0.8 0.38 0.78 0.66 C 0.77 0.98 0.36 1.02 0.18 0.85 M 0.32 0.03 L 0.8 0'),
    variant('round belly', 2, 'M 0.3 0 L 0.24 0.46 C 0.5 0.3 0.9 0.46 0.82 0.72 C 0.76 1 0.34 1 0.18 0.88 M 0.3 0 L 0.78 0.03'),
    variant('curled', 1, 'M 0.32 0.02 L 0.28 0.4 C 0.5 0.34 0.78 0.44 0.76 0.68 C 0.74 0.92 0.46 1.02 0.3 0.94 C 0.2 0.9 0.2 0.82 0.28 0.84 M 0.32 0.02 L 0.76 0.02'),
  ],
  [
    variant('curved', 4, 'M 0.7 0.04 C 0.46 0.14 0.22 0.42 0.22 0.7 C 0.22 0.94 0.42 1 0.52 1 C 0.7 1 0.8 0.86 0.78 0.7 C 0.76 0.5 0.42 0.46 0.24 0.66'),
    variant('straight', 3, 'M 0.64 0 L 0.26 0.64 C 0.18 0.86 0.3 1 0.5 1 C 0.72 1 0.8 0.84 0.76 0.7 C 0.7 0.52 0.4 0.52 0.26 0.7'),
    variant('big loop', 2, 'M 0.62 0.02 C 0.4 0.14 0.18 0.4 0.2 0.68 C 0.22 0.94 0.4 1 0.52 1 C 0.74 1 0.84 0.8 0.8 0.62 C 0.74 0.36 0.4 0.36 0.22 0.6'),
  ],
  [
    variant('plain', 5, 'M 0.16 0.04 L 0.84 0.04 L 0.42 1'),
    variant('crossed', 2, 'M 0.16 0.04 L 0.84 0.04 L 0.42 1 M 0.42 0.52 L 0.82 0.5'),
    variant('curved stem', 3, 'M 0.18 0.06 L 0.84 0.02 C 0.64 0.3 0.5 0.6 0.48 1'),
    variant('serif', 1, 'M 0.16 0.2 L 0.16 0.04 L 0.84 0.04 L 0.46 1'),
  ],
  [
    variant('one stroke', 4, 'M 0.72 0.14 C 0.62 -0.02 0.28 -0.02 0.28 0.22 C 0.28 0.42 0.76 0.5 0.76 0.75 C 0.76 0.97 0.6 1 0.5 1 C 0.4 1 0.24 0.97 0.24 0.75 C 0.24 0.5 0.72 0.42 0.72 0.2'),
    variant('mirrored', 2, 'M 0.28 0.14 C 0.38 -0.02 0.72 -0.02 0.72 0.22 C 0.72 0.42 0.24 0.5 0.24 0.75 C 0.24 0.97 0.4 1 0.5 1 C 0.6 1 0.76 0.97 0.76 0.75 C 0.76 0.5 0.28 0.42 0.28 0.2'),
    variant('two loops', 2, 'M 0.5 0.02 C 0.36 0.02 0.3 0.12 0.3 0.24 C 0.3 0.36 0.4 0.46 0.5 0.46 C 0.62 0.46 0.7 0.36 0.7 0.24 C 0.7 0.1 0.62 0.02 0.5 0.02 M 0.5 0.46 C 0.34 0.46 0.24 0.58 0.24 0.73 C 0.24 0.9 0.36 1 0.5 1 C 0.66 1 0.76 0.9 0.76 0.73 C 0.76 0.58 0.64 0.46 0.5 0.46'),
  ],
  [
    variant('straight tail', 4, 'M 0.74 0.2 C 0.68 0 0.26 0 0.26 0.26 C 0.26 0.48 0.62 0.5 0.74 0.24 L 0.72 1'),
    variant('curved tail', 3, 'M 0.74 0.2 C 0.68 0 0.26 0 0.26 0.26 C 0.26 0.48 0.62 0.5 0.74 0.26 C 0.76 0.56 0.7 0.86 0.44 1'),
    variant('two strokes', 2, 'M 0.7 0.1 C 0.6 -0.02 0.24 0.02 0.24 0.24 C 0.24 0.46 0.64 0.48 0.72 0.22 M 0.76 0.02 L 0.7 1'),
    variant('round head', 1, 'M 0.76 0.3 C 0.76 0.06 0.6 0 0.48 0 C 0.32 0 0.22 0.14 0.22 0.28 C 0.22 0.46 0.36 0.52 0.48 0.52 C 0.64 0.52 0.76 0.44 0.76 0.3 L 0.74 1'),
  ],
];
