// The wizard's choices as a preset: the object, its YAML (what `calibra run FILE.yaml` loads)
// and the steps that preset yields, built through the same step parser the runner uses.
import { stringify } from 'yaml';
import { InputError } from '../../../errors.js';
import { describeIssue, parseStep, type Step } from '../../../workflows/schema.js';
import type { StrategyValues } from './presets.js';
import { STRATEGY_OPTIONS } from './strategy-options.js';

export type Validation = { kind: 'none' } | { kind: 'folder'; path: string } | { kind: 'split'; share: number };

export interface WizardChoices {
  /** Zoo id or absolute path. */
  model: string;
  modelId: string;
  /** Absolute paths. */
  data: string;
  validation: Validation;
  out: string;
  overwrite: boolean;
  /** The shipped preset the strategy started from, if any, and whether it was changed. */
  preset: string | null;
  edited: boolean;
  strategy: StrategyValues;
}

/** Decisions a reader of the preset should see even when they equal the default. */
const ALWAYS_WRITTEN = new Set(['freeze', 'bnStats', 'epochs']);
const DEFAULTS = new Map(STRATEGY_OPTIONS.map((o) => [o.field, o.default]));

function strategyFields(values: StrategyValues): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([field, v]) =>
    v !== undefined && (ALWAYS_WRITTEN.has(field) || !DEFAULTS.has(field) || DEFAULTS.get(field) !== v)));
}

export function presetName(c: Pick<WizardChoices, 'modelId'>): string {
  return `finetune-${c.modelId}`.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
}

export interface WizardWorkflow {
  name: string;
  description: string;
  steps: Record<string, unknown>[];
}

export function buildWorkflow(c: WizardChoices): WizardWorkflow {
  const where = c.validation.kind === 'folder' ? { val: c.validation.path } : c.validation.kind === 'split' ? { valSplit: c.validation.share } : {};
  const train = { model: c.model, data: c.data, ...where, out: c.out, ...(c.overwrite ? { overwrite: true } : {}), ...strategyFields(c.strategy) };
  const from = c.preset === null ? 'own strategy' : `from the ${c.preset} preset${c.edited ? ', edited' : ''}`;
  return { name: presetName(c), description: `fine-tune ${c.modelId} (${from}), written by the Calibra wizard`, steps: [{ name: 'fine-tune', train }] };
}

export function workflowYaml(w: WizardWorkflow): string {
  return `# calibra run <this file>\n${stringify(w, { lineWidth: 0 })}`;
}

/** The steps `calibra run` would execute; an option the schema refuses is an InputError naming it. */
export function workflowSteps(w: WizardWorkflow): Step[] {
  return w.steps.map((raw, i) => {
    const step = parseStep(raw);
    if ('path' in step) throw new InputError(describeIssue({ path: ['steps', i, ...step.path], message: step.message }, 'the wizard\'s preset'));
    return step;
  });
}
