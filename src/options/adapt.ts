// `adapt`'s options: its flags, its --help and the fields of a preset's adapt step.
import type { OptionSpec } from './option-spec.js';
import { batchOption, modelOption, outOption, overwriteOption, seedOption, trustWeightsOption } from './shared.js';

export const ADAPT_OPTIONS = [
  { field: 'method', flag: 'method', kind: 'choice', choices: ['tent'], default: 'tent', section: 'Input', help: 'the adaptation method (the only one so far)' },
  modelOption,
  { field: 'images', flag: 'images', kind: 'path', placeholder: 'DIR', required: true, section: 'Input', help: 'unlabelled images of the target domain' },
  trustWeightsOption,
  { field: 'steps', flag: 'steps', kind: 'integer', placeholder: 'N', min: 1, section: 'TENT', help: 'optimizer steps (default: one pass over DIR)' },
  {
    ...batchOption, default: 64, section: 'TENT',
    help: 'images per step, shuffled',
    details: 'TENT needs batches large enough for their statistics to mean something.',
  },
  { field: 'lr', flag: 'lr', kind: 'number', placeholder: 'X', greaterThan: 0, default: 1e-3, section: 'TENT', help: 'learning rate' },
  { field: 'optimizer', flag: 'optimizer', kind: 'choice', choices: ['sgd', 'adam'], default: 'adam', section: 'TENT', help: 'sgd is SGD with momentum 0.9' },
  { ...seedOption, section: 'TENT' },
  outOption,
  { ...overwriteOption, help: 'replace a Calibra model already at --out' },
] as const satisfies readonly OptionSpec[];
