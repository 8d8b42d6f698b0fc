// The synthetic digit domains, as data. One source domain to pretrain on, and target domains
// that each shift one thing a real deployment shifts: polarity, contrast, colour, background
// texture, optics, stroke weight, placement.

import { InputError } from '../../errors.js';
import { DEFAULT_HANDWRITING, type HandwritingArgs, type Range } from './handwriting.js';

/** How ink and background get their colours. */
export type Look =
  /** Grey ink on grey paper; ink = paper + contrast, so a negative contrast is dark on light. */
  | { readonly kind: 'grey'; readonly paper: Range; readonly contrast: Range }
  /** Flat random colours for paper and ink, at least `minLumaGap` apart in brightness. */
  | { readonly kind: 'colour'; readonly minLumaGap: number }
  /** MNIST-M: a photo-like texture, the digit drawn as |texture − ink coverage|. */
  | { readonly kind: 'photo' };

export interface RenderParams {
  readonly handwriting: HandwritingArgs;
  readonly look: Look;
  /** Gaussian blur sigma in pixels at 32 × 32; scaled with the image size. */
  readonly blur?: Range;
  /** Standard deviation of added Gaussian noise, on the 0..1 intensity scale. */
  readonly noise?: Range;
}

export interface DomainSpec {
  readonly id: string;
  readonly description: string;
  readonly role: 'source' | 'target';
  readonly render: RenderParams;
}

const CLEAN_LOOK: Look = { kind: 'grey', paper: [0, 0.06], contrast: [0.8, 0.97] };

export const DOMAINS: readonly DomainSpec[] = [
  {
    id: 'clean',
    description: 'source: white-ish handwritten strokes on black, MNIST-like placement',
    role: 'source',
    render: { handwriting: DEFAULT_HANDWRITING, look: CLEAN_LOOK },
  },
  {
    id: 'inverted',
    description: 'dark strokes on light paper',
    role: 'target',
    render: { handwriting: DEFAULT_HANDWRITING, look: { kind: 'grey', paper: [0.85, 1], contrast: [-0.95, -0.72] } },
  },
  {
    id: 'low-contrast',
    description: 'slightly brighter strokes on mid-grey: a narrow intensity range',
    role: 'target',
    render: { handwriting: DEFAULT_HANDWRITING, look: { kind: 'grey', paper: [0.3, 0.55], contrast: [0.08, 0.2] } },
  },
  {
    id: 'colored',
    description: 'coloured strokes on flat coloured backgrounds',
    role: 'target',
    render: { handwriting: DEFAULT_HANDWRITING, look: { kind: 'colour', minLumaGap: 0.25 } },
  },
  {
    id: 'textured',
    description: 'MNIST-M-like: photo-like textured backgrounds, strokes in inverted background colours',
    role: 'target',
    render: { handwriting: DEFAULT_HANDWRITING, look: { kind: 'photo' } },
  },
  {
    id: 'blur-noise',
    description: 'the source look, out of focus and with sensor noise',
    role: 'target',
    render: { handwriting: DEFAULT_HANDWRITING, look: CLEAN_LOOK, blur: [0.7, 1.5], noise: [0.06, 0.2] },
  },
  {
    id: 'thick',
    description: 'bold strokes, about twice the source width',
    role: 'target',
    render: { handwriting: { ...DEFAULT_HANDWRITING, width: [0.16, 0.23] }, look: CLEAN_LOOK },
  },
  {
    id: 'shifted',
    description: 'small digits placed away from the centre',
    role: 'target',
    render: { handwriting: { ...DEFAULT_HANDWRITING, fit: [0.38, 0.55], centreSd: 0.12 }, look: CLEAN_LOOK },
  },
];

export const SOURCE_DOMAIN_ID = 'clean';

export const DOMAIN_IDS: readonly string[] = DOMAINS.map((d) => d.id);

const byId = new Map(DOMAINS.map((d) => [d.id, d]));

/** @throws InputError naming the valid ids when `id` is not a domain. */
export function getDomain(id: string): DomainSpec {
  const domain = byId.get(id);
  if (domain === undefined) {
    throw new InputError(`unknown synthetic domain "${id}"; valid domains: ${DOMAIN_IDS.join(', ')}`);
  }
  return domain;
}
