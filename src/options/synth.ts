// `data synth`'s options: its flags, its --help and the fields of a preset's synth step.
import { DOMAIN_IDS } from '../data/synth/domains.js';
import { SYNTH_DEFAULTS } from '../data/synth/defaults.js';
import type { OptionSpec } from './option-spec.js';
import { outOption, overwriteOption, seedOption } from './shared.js';

export const SYNTH_OPTIONS = [
  { field: 'domain', flag: 'domain', kind: 'choice', choices: DOMAIN_IDS, placeholder: 'D', required: true, section: 'Set', help: 'the domain to draw' },
  { field: 'perClass', flag: 'per-class', kind: 'integer', placeholder: 'N', min: 1, default: SYNTH_DEFAULTS.perClass, section: 'Set', help: 'images per digit' },
  { field: 'size', flag: 'size', kind: 'integer', placeholder: 'S', min: 8, max: 1024, default: SYNTH_DEFAULTS.size, section: 'Set', help: 'image side in pixels' },
  { ...seedOption, default: SYNTH_DEFAULTS.seed, section: 'Set', help: 'the same seed draws the same images' },
  { ...outOption, help: 'the folder to create' },
  { ...overwriteOption, help: 'replace the synthetic set already at DIR' },
] as const satisfies readonly OptionSpec[];
