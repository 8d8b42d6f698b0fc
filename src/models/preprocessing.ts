// How pixels become model input: named presets, the --preprocess syntax, where a model's
// preprocessing came from, and the line that says so.
import { InputError } from '../errors.js';
import type { KnownArchitecture } from './architecture.js';
import { RESIZE_MODES, type ResizeMode } from '../data/decode.js';
import { PIXELS_0_1, PIXELS_MINUS1_1, type Manifest, type Preprocessing } from './manifest.js';

export type PreprocessingSource = 'manifest' | 'metadata' | 'architecture' | 'guess' | 'flag';

type Triple = [number, number, number];

/** input = (pixel/255 − mean) / std per channel, as torchvision states its normalisation. */
export function fromMeanStd(mean: Triple, std: Triple, resize: ResizeMode = 'squash'): Preprocessing {
  return {
    resize,
    scale: std.map((s) => 1 / (255 * s)) as Triple,
    offset: mean.map((m, i) => -m / std[i]!) as Triple,
  };
}

const PRESETS: Record<string, Omit<Preprocessing, 'resize'>> = {
  '0-1': PIXELS_0_1,
  '-1-1': PIXELS_MINUS1_1,
  imagenet: fromMeanStd([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
};

/** Keras's names for the same conventions (`preprocess_input(mode=…)`). */
const ALIASES: Record<string, string> = { tf: '-1-1', torch: 'imagenet' };

/** The values --preprocess takes, for a command's help, each line after the first indented. */
export function preprocessHelp(indent: string): string {
  return [
    'SCALING, RESIZE or SCALING,RESIZE, e.g. 0-1,center-crop-0.875.',
    'SCALING: 0-1 (pixels/255); -1-1 (write --preprocess=-1-1; alias tf);',
    "imagenet (torchvision's mean/std; alias torch); mean=R,G,B/std=R,G,B",
    '(0–1 scale, as torchvision gives them).',
    'RESIZE: squash (stretch); center-crop (cover, keep the centre);',
    'letterbox (fit, pad); center-crop-0.875 (the ImageNet evaluation',
    'crop: cover size/0.875, e.g. 256 for 224, keep the centre).',
  ].join(`\n${indent}`);
}

function triple(text: string, what: string, flag: string): Triple {
  const parts = text.split(',').map((p) => Number(p));
  if (parts.length !== 3 || text.split(',').some((p) => p.trim() === '') || parts.some((p) => !Number.isFinite(p))) {
    throw new InputError(`${flag} ${what}=${text}: expected three numbers R,G,B`);
  }
  return parts as Triple;
}

/** What a --preprocess value sets: the pixel scaling, the resize mode, or both. */
export interface PreprocessSpec {
  scaling: Omit<Preprocessing, 'resize'> | null;
  resize: ResizeMode | null;
}

/** `whole` is the full --preprocess value, which the error names. */
function parseScaling(text: string, flag: string, whole: string): Omit<Preprocessing, 'resize'> {
  const preset = PRESETS[ALIASES[text] ?? text];
  if (preset) return { scale: preset.scale, offset: preset.offset };
  const m = /^mean=([^/]+)\/std=(.+)$/.exec(text);
  if (!m) throw new InputError(`${flag} ${whole}: expected 0-1, -1-1, imagenet or mean=R,G,B/std=R,G,B, optionally followed by ,${RESIZE_MODES.join('|')}`);
  const std = triple(m[2]!, 'std', flag);
  if (std.some((s) => s <= 0)) throw new InputError(`${flag} ${whole}: std must be positive`);
  const { scale, offset } = fromMeanStd(triple(m[1]!, 'mean', flag), std);
  return { scale, offset };
}

const isResizeMode = (text: string): text is ResizeMode => (RESIZE_MODES as readonly string[]).includes(text);

/** Parses a --preprocess value: SCALING, RESIZE, or SCALING,RESIZE (the resize mode last). */
export function parsePreprocessSpec(text: string, flag = '--preprocess'): PreprocessSpec {
  if (isResizeMode(text)) return { scaling: null, resize: text };
  const comma = text.lastIndexOf(',');
  const last = text.slice(comma + 1);
  if (comma >= 0 && isResizeMode(last)) return { scaling: parseScaling(text.slice(0, comma), flag, text), resize: last };
  return { scaling: parseScaling(text, flag, text), resize: null };
}

/** Parses a --preprocess value; the given resize mode applies unless the value names one. */
export function parsePreprocess(text: string, resize: ResizeMode, flag = '--preprocess'): Preprocessing {
  const spec = parsePreprocessSpec(text, flag);
  if (!spec.scaling) throw new InputError(`${flag} ${text}: expected a scaling (0-1, -1-1, imagenet or mean=R,G,B/std=R,G,B)`);
  return { ...spec.scaling, resize: spec.resize ?? resize };
}

export function isPreprocessSpec(text: string): boolean {
  try {
    parsePreprocessSpec(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * For a model without a Calibra manifest: Teachable Machine's metadata (its MobileNet base
 * takes [-1,1]), else what a recognised architecture was trained on, else a guess of [0,1].
 */
export function inferPreprocessing(teachableMachine: boolean, arch: KnownArchitecture | null): { preprocessing: Preprocessing; source: PreprocessingSource } {
  if (teachableMachine) return { preprocessing: PIXELS_MINUS1_1, source: 'metadata' };
  if (arch) return { preprocessing: arch === 'darknet' ? PIXELS_0_1 : PIXELS_MINUS1_1, source: 'architecture' };
  return { preprocessing: PIXELS_0_1, source: 'guess' };
}

const close = (a: readonly number[], b: readonly number[]) => a.every((v, i) => Math.abs(v - b[i]!) < 1e-6 * Math.max(1, Math.abs(b[i]!)));

const LABELS: Record<string, string> = { '0-1': '[0,1]', '-1-1': '[-1,1]', imagenet: 'imagenet mean/std' };

/** `[0,1]`, `[-1,1]`, `imagenet mean/std`, or the scale and offset themselves. */
export function describePreprocessing(p: Preprocessing): string {
  for (const [name, preset] of Object.entries(PRESETS)) {
    if (close(p.scale, preset.scale) && close(p.offset, preset.offset)) return LABELS[name]!;
  }
  const fmt = (t: readonly number[]) => t.map((v) => Number(v.toPrecision(4))).join(',');
  return `pixel × (${fmt(p.scale)}) + (${fmt(p.offset)})`;
}

const SOURCE_TEXT: Record<PreprocessingSource, string> = {
  manifest: 'the Calibra manifest',
  metadata: 'Teachable Machine metadata',
  architecture: 'the recognised architecture',
  guess: 'a guess',
  flag: '--preprocess',
};

/** The manifest with --preprocess (or a workflow's `preprocess`) applied, when one is given. */
export function withPreprocess(manifest: Manifest, text: string | undefined): Manifest {
  if (text === undefined) return manifest;
  const { scaling, resize } = parsePreprocessSpec(text);
  return {
    ...manifest,
    preprocessing: { ...manifest.preprocessing, ...scaling, ...(resize ? { resize } : {}) },
    ...(scaling ? { preprocessingSource: 'flag' as const } : {}),
    ...(resize ? { resizeSource: 'flag' as const } : {}),
  };
}

/** Where a manifest's preprocessing came from, in words. */
export function manifestPreprocessingSource(manifest: Manifest): string {
  const source = manifest.preprocessingSource ?? 'manifest';
  const recognised = manifest.architecture?.recognised;
  return source === 'architecture' && typeof recognised === 'string' ? `the recognised architecture (${recognised})` : SOURCE_TEXT[source];
}

/**
 * The line at load, e.g. "preprocessing: [-1,1] from Teachable Machine metadata", naming the
 * resize mode too when --preprocess chose it.
 */
export function manifestPreprocessingNote(manifest: Manifest): string {
  const resize = manifest.resizeSource === 'flag' ? `; resize ${manifest.preprocessing.resize} from --preprocess` : '';
  const note = `preprocessing: ${describePreprocessing(manifest.preprocessing)} from ${manifestPreprocessingSource(manifest)}${resize}`;
  return manifest.preprocessingSource === 'guess' ? `warning: ${note}; nothing says what input the model expects: give --preprocess if it was trained on another range` : note;
}
