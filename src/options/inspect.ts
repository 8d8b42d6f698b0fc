// `inspect`'s options: its flags, its --help and the fields of a preset's inspect step.
import type { OptionSpec } from './option-spec.js';
import { batchOption, modelOption, trustWeightsOption } from './shared.js';

export const INSPECT_OPTIONS = [
  modelOption,
  { field: 'images', flag: 'images', kind: 'path', placeholder: 'DIR', required: true, section: 'Input', help: 'target-domain images' },
  { ...batchOption, default: 32, details: 'The result does not depend on it.' },
  trustWeightsOption,
] as const satisfies readonly OptionSpec[];
