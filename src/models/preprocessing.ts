// How pixels become model input: named presets, the --preprocess syntax, where a model's
// preprocessing came from, and the line that says so.
import { InputError } from '../errors.js';
import type { KnownArchitecture } from './architecture.js';
import { PIXELS_0_1, PIXELS_MINUS1_1, type Manifest, type Preprocessing } from './manifest.js';

export type PreprocessingSource = 'manifest' | 'metadata' | 'architecture' | 'guess' | 'flag';

type Triple = [number, number, number];

/** input = (pixel/255 − mean) / std per channel, as torchvision states its normalisation. */
export function fromMeanStd(mean: Triple, std: Triple, resize: Preprocessing['resize'] = 'squash'): Preprocessing {
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
    '0-1 (pixels/255); -1-1 (write --preprocess=-1-1; alias tf);',
    "imagenet (torchvision's mean/std; alias torch);",
    'mean=R,G,B/std=R,G,B (0–1 scale, as torchvision gives them)',
  ].join(`\n${indent}`);
}

function triple(text: string, what: string, flag: string): Triple {
  const parts = text.split(',').map((p) => Number(p));
  if (parts.length !== 3 || text.split(',').some((p) => p.trim() === '') || parts.some((p) => !Number.isFinite(p))) {
    throw new InputError(`${flag} ${what}=${text}: expected three numbers R,G,B`);
  }
  return parts as Triple;
}

/** Parses a --preprocess value; the model's resize mode is kept. */
export function parsePreprocess(text: string, resize: Preprocessing['resize'], flag = '--preprocess'): Preprocessing {
  const preset = PRESETS[ALIASES[text] ?? text];
  if (preset) return { ...preset, resize };
  const m = /^mean=([^/]+)\/std=(.+)$/.exec(text);
  if (!m) throw new InputError(`${flag} ${text}: expected 0-1, -1-1, imagenet or mean=R,G,B/std=R,G,B`);
  const std = triple(m[2]!, 'std', flag);
  if (std.some((s) => s <= 0)) throw new InputError(`${flag} ${text}: std must be positive`);
  return fromMeanStd(triple(m[1]!, 'mean', flag), std, resize);
}

export function isPreprocessSpec(text: string): boolean {
  try {
    parsePreprocess(text, 'squash');
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
export function withPreprocess(manifest: Manifest, spec: string | undefined): Manifest {
  if (spec === undefined) return manifest;
  return { ...manifest, preprocessing: parsePreprocess(spec, manifest.preprocessing.resize), preprocessingSource: 'flag' };
}

/** Where a manifest's preprocessing came from, in words. */
export function manifestPreprocessingSource(manifest: Manifest): string {
  const source = manifest.preprocessingSource ?? 'manifest';
  const recognised = manifest.architecture?.recognised;
  return source === 'architecture' && typeof recognised === 'string' ? `the recognised architecture (${recognised})` : SOURCE_TEXT[source];
}

/** The line at load, e.g. "preprocessing: [-1,1] from Teachable Machine metadata". */
export function manifestPreprocessingNote(manifest: Manifest): string {
  const note = `preprocessing: ${describePreprocessing(manifest.preprocessing)} from ${manifestPreprocessingSource(manifest)}`;
  return manifest.preprocessingSource === 'guess' ? `warning: ${note}; nothing says what input the model expects: give --preprocess if it was trained on another range` : note;
}
