// Every command's option declarations, for the TUI's forms and for tests over all of them.
import { ADAPT_OPTIONS } from './adapt.js';
import { EVAL_OPTIONS } from './eval.js';
import { INSPECT_OPTIONS } from './inspect.js';
import type { OptionSpec } from './option-spec.js';
import { PREDICT_OPTIONS } from './predict.js';
import { RECALIBRATE_OPTIONS } from './recalibrate.js';
import { sectionsOf, type OptionSection } from './sections.js';
import { SYNTH_OPTIONS } from './synth.js';
import { TRAIN_OPTIONS } from './train.js';

/** Keyed by workflow step kind (`synth` is `calibra data synth`), plus `predict`. */
export const COMMAND_OPTIONS = {
  synth: SYNTH_OPTIONS,
  eval: EVAL_OPTIONS,
  train: TRAIN_OPTIONS,
  recalibrate: RECALIBRATE_OPTIONS,
  inspect: INSPECT_OPTIONS,
  adapt: ADAPT_OPTIONS,
  predict: PREDICT_OPTIONS,
} as const satisfies Record<string, readonly OptionSpec[]>;

export type OptionsCommand = keyof typeof COMMAND_OPTIONS;

/** A command's options grouped by section, in --help's order. */
export function optionsFor(command: OptionsCommand): OptionSection[] {
  return sectionsOf(COMMAND_OPTIONS[command]);
}
