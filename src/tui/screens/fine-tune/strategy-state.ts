// What the strategy form derives from its values: which groups train, how many BN layers move
// with batch statistics, the memory a step needs and whether to advise freezing statistics.
// Pure, so the form's figures are tested without drawing it.
import { noisyMicroBatches } from '../../../bn/small-batch.js';
import { parseFreezeSpec, trainableGroups } from '../../../models/groups.js';
import type { ModelSummary } from '../../../models/model-summary.js';
import { estimateTrainMemory, optimizerSlots, type TrainMemory } from '../../../models/train-memory.js';
import type { OptionSpec } from '../../../options/option-spec.js';
import type { StrategyValues } from './presets.js';
import { NEEDS_VALIDATION, SET_BY_STAGES, STRATEGY_OPTIONS } from './strategy-options.js';

/** The declared defaults of the form's options. */
export const STRATEGY_DEFAULTS: StrategyValues = Object.fromEntries(STRATEGY_OPTIONS.filter((o) => o.default !== undefined).map((o) => [o.field, o.default]));

/** A preset's values over the defaults, so every row of the form has a value to show. */
export function presetValues(preset: StrategyValues): StrategyValues {
  return { ...STRATEGY_DEFAULTS, ...preset };
}

/**
 * The values the step is built from: without validation nothing judges epochs on it, and with
 * stages each stage sets its own freeze and epochs (the schema refuses both at once).
 */
export function finalStrategy(values: StrategyValues, hasValidation: boolean): StrategyValues {
  const staged = values.stages !== undefined;
  return Object.fromEntries(Object.entries(values).filter(([f]) => (hasValidation || !NEEDS_VALIDATION.has(f)) && !(staged && SET_BY_STAGES.has(f))));
}

/** The freeze spec that applies first: the step's, or its first stage's. */
export function firstFreeze(values: StrategyValues): string {
  const stages = values.stages as { freeze?: unknown }[] | undefined;
  const spec = stages?.[0]?.freeze ?? values.freeze ?? 'none';
  return typeof spec === 'string' && parseFreezeSpec(spec) !== null ? spec : 'none';
}

export function trainingGroups(model: ModelSummary, values: StrategyValues): Set<string> {
  return trainableGroups(model.groups, parseFreezeSpec(firstFreeze(values))!);
}

/** Groups that train, counted from the head: the freeze spec that trains exactly the last `n`. */
export function freezeForLast(n: number, groups: number): string {
  return n >= groups ? 'none' : n <= 1 ? 'backbone' : `last:${n}`;
}

/** BN layers of the training groups that normalise with batch statistics (none frozen). */
export function bnUpdating(model: ModelSummary, values: StrategyValues): number {
  if ((values.bnStats ?? 'update') === 'freeze') return 0;
  const training = trainingGroups(model, values);
  return model.groups.filter((g) => training.has(g.name)).reduce((s, g) => s + g.bnLayers, 0);
}

const int = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

export function memoryFor(model: ModelSummary, values: StrategyValues): TrainMemory {
  const training = trainingGroups(model, values);
  return estimateTrainMemory({
    groups: model.groups.map((g) => ({ params: g.params, activations: g.activations, trains: training.has(g.name) })),
    inputElements: model.inputShape.reduce((a, b) => a * b, 1),
    batch: int(values.batch, 32),
    accum: int(values.accum, 1),
    optimizerSlots: optimizerSlots(String(values.optimizer ?? 'adam')),
  });
}

/** The trainer's warning, given before the run: accumulated small passes with BN statistics moving. */
export function adviseFreezingStatistics(model: ModelSummary, values: StrategyValues): boolean {
  return noisyMicroBatches({ batch: int(values.batch, 32), accum: int(values.accum, 1), bnUpdating: bnUpdating(model, values) });
}

/** A typed number for `spec`, null for an empty optional one, or the reason it is refused. */
export function parseTypedNumber(spec: OptionSpec, text: string): number | null | string {
  if (text.trim() === '') return spec.default === undefined ? null : `${spec.flag}: give a value (default ${spec.default})`;
  const n = Number(text);
  if (!Number.isFinite(n) || (spec.kind === 'integer' && !Number.isInteger(n))) return `${spec.flag} ${text}: expected ${spec.kind === 'integer' ? 'a whole number' : 'a number'}`;
  if (spec.min !== undefined && n < spec.min) return `${spec.flag} ${text}: at least ${spec.min}`;
  if (spec.max !== undefined && n > spec.max) return `${spec.flag} ${text}: at most ${spec.max}`;
  return n;
}
