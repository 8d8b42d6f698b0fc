// The shipped presets that train, read as strategies: the options of their train step, with
// the preset's own variables filled in and the fields the wizard asks for itself left out.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PACKAGE_ROOT } from '../../../util/package-root.js';
import { workflowSchema } from '../../../workflows/schema.js';
import { substitute } from '../../../workflows/substitute.js';

export const TRAIN_PRESETS = ['feature-extraction', 'full-finetune', 'small-batch-accumulation', 'gradual-unfreeze'] as const;

/** A train step's options as YAML holds them, before validation. */
export type StrategyValues = Readonly<Record<string, unknown>>;

export interface PresetStrategy {
  name: string;
  description: string;
  values: StrategyValues;
}

/** Where the data, model and output go is the wizard's to say, not the preset's. */
const WIZARD_FIELDS = new Set(['model', 'data', 'val', 'valSplit', 'out', 'overwrite']);

export async function loadPresetStrategy(name: string, dir = join(PACKAGE_ROOT, 'workflows')): Promise<PresetStrategy> {
  const file = join(dir, `${name}.yaml`);
  const workflow = workflowSchema.parse(parseYaml(await readFile(file, 'utf8')));
  const steps = substitute(workflow.steps, workflow.vars).value as Record<string, unknown>[];
  const train = steps.map((s) => s.train).find((t): t is Record<string, unknown> => typeof t === 'object' && t !== null);
  if (!train) throw new Error(`${file}: has no train step`);
  return { name, description: workflow.description, values: Object.fromEntries(Object.entries(train).filter(([k]) => !WIZARD_FIELDS.has(k))) };
}
