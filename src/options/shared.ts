// Options several steps take. A step spreads one of these and sets what differs for it (its
// section, its default batch, the words of its help); the flag, field and kind stay one.
import { isPreprocessSpec, preprocessHelp } from '../models/preprocessing.js';
import type { OptionSpec } from './option-spec.js';

export const modelOption = {
  field: 'model', flag: 'model', kind: 'path', placeholder: 'M', required: true, section: 'Input',
  help: "zoo id (see 'calibra models') or a tfjs model.json or its folder",
} as const satisfies OptionSpec;

export const trustWeightsOption = {
  field: 'trustWeights', flag: 'trust-weights', kind: 'flag', default: false, section: 'Input',
  help: "load --model even if its weights do not match its manifest's content hash",
} as const satisfies OptionSpec;

export const outOption = {
  field: 'out', flag: 'out', kind: 'path', placeholder: 'DIR', required: true, section: 'Output',
  help: 'where the adapted model goes',
} as const satisfies OptionSpec;

export const overwriteOption = {
  field: 'overwrite', flag: 'overwrite', kind: 'flag', default: false, section: 'Output',
  help: 'replace the Calibra model already at --out',
} as const satisfies OptionSpec;

/** Every step sets its own default: what fits depends on what one pass holds. */
export const batchOption = {
  field: 'batch', flag: 'batch', kind: 'integer', placeholder: 'B', min: 1, section: 'Input',
  help: 'images per forward pass',
} as const satisfies OptionSpec;

/** Seeds are 32-bit: the generators take them as unsigned integers. */
export const seedOption = {
  field: 'seed', flag: 'seed', kind: 'integer', placeholder: 'N', min: 0, max: 2 ** 32 - 1, default: 0, section: 'Other',
  help: 'shuffle seed',
} as const satisfies OptionSpec;

/** Each step says what the map does for it; a preset may write it out as a mapping. */
export const classMapOption = {
  field: 'classMap', flag: 'class-map', kind: 'text', placeholder: 'NEW=OLD,…', section: 'Input',
  help: 'map the folders NEW to the model\'s classes OLD',
} as const satisfies OptionSpec;

export const preprocessOption = {
  field: 'preprocess', flag: 'preprocess', kind: 'text', placeholder: 'P', section: 'Input',
  help: 'model input from pixels, overriding what the model says:',
  details: preprocessHelp(''),
  check: (value: string) => (isPreprocessSpec(value) ? null : 'expected SCALING (0-1, -1-1, imagenet, mean=R,G,B/std=R,G,B), RESIZE (squash, center-crop, letterbox, center-crop-0.875) or SCALING,RESIZE'),
} as const satisfies OptionSpec;
