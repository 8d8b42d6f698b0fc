// `predict`'s options (a command, not a workflow step).
import type { OptionSpec } from './option-spec.js';
import { batchOption, classMapOption, modelOption, preprocessOption, trustWeightsOption } from './shared.js';

export const PREDICT_OPTIONS = [
  modelOption,
  { ...batchOption, default: 32 },
  { ...classMapOption, help: "answer only among the model's classes OLD, named NEW (see eval --help)" },
  preprocessOption,
  trustWeightsOption,
  { field: 'top', flag: 'top', kind: 'integer', placeholder: 'K', min: 1, default: 3, section: 'Report', help: 'classes to list per image, most probable first' },
] as const satisfies readonly OptionSpec[];
