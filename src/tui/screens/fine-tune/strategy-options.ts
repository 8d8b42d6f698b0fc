// The train options the strategy form offers: the shared declarations (options/train.ts), so a
// range, choice, default or help line is the same here as on the command line and in presets.
import type { OptionSpec } from '../../../options/option-spec.js';
import { TRAIN_OPTIONS } from '../../../options/train.js';
import { UNSTAGED_DEFAULTS } from '../../../workflows/schema.js';

const FORM_FIELDS = ['freeze', 'bnStats', 'bnAffine', 'batch', 'accum', 'optimizer', 'lr', 'weightDecay', 'schedule', 'warmup', 'epochs', 'keep', 'patience'] as const;

/** Fields whose default the train step fills in itself (it depends on `stages`); the form starts from it. */
const STEP_DEFAULTS: Partial<Record<(typeof FORM_FIELDS)[number], string | number>> = UNSTAGED_DEFAULTS;

export const STRATEGY_OPTIONS: readonly OptionSpec[] = FORM_FIELDS.map((field) => {
  const spec: OptionSpec = TRAIN_OPTIONS.find((o) => o.field === field)!;
  const stepDefault = STEP_DEFAULTS[field];
  return spec.default === undefined && stepDefault !== undefined ? { ...spec, default: stepDefault } : spec;
});

/** Options that judge epochs on validation, offered only when there is some. */
export const NEEDS_VALIDATION: ReadonlySet<string> = new Set(['keep', 'patience']);

/** Options a staged preset sets per stage, so the form shows them and does not edit them. */
export const SET_BY_STAGES: ReadonlySet<string> = new Set(['freeze', 'epochs']);
