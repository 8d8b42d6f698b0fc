// Workflow presets are data: one zod schema gives both the TypeScript types and the validation,
// for YAML presets, for CLI flags and for the TUI alike. Each step's fields come from its option
// declarations in src/options; what only a preset can say (stages, per-group BN, resume) is added here.
import { z } from 'zod';
import { checkedText, optionsObject } from '../options/zod-object.js';
import { SYNTH_OPTIONS } from '../options/synth.js';
import { EVAL_OPTIONS } from '../options/eval.js';
import { TRAIN_OPTIONS, freezeProblem } from '../options/train.js';
import { RECALIBRATE_OPTIONS } from '../options/recalibrate.js';
import { INSPECT_OPTIONS } from '../options/inspect.js';
import { ADAPT_OPTIONS } from '../options/adapt.js';

const posInt = z.number().int().min(1);

export const synthStepSchema = optionsObject(SYNTH_OPTIONS).extend({
  /** The earlier name of `overwrite`, still accepted so presets written with it keep running. */
  replace: z.boolean().optional(),
}).strict().transform(({ replace, ...rest }) => ({ ...rest, overwrite: rest.overwrite || replace === true }));

export const evalStepSchema = optionsObject(EVAL_OPTIONS);

/** A BN policy's fields, each optional: what is left out comes from the level below. */
const bnOverridesSchema = z.object({
  stats: z.enum(['freeze', 'update', 'reset']).optional(),
  affine: z.enum(['train', 'freeze']).optional(),
  momentum: z.number().min(0).max(1).optional(),
  epsilon: z.number().positive().optional(),
}).strict();

/**
 * Per-group BN policies, e.g. `{default: {stats: update}, groups: {stem: {stats: freeze,
 * affine: freeze}, block1: {momentum: 0.99}}}`: `default` applies to every group that trains,
 * over bnStats/bnAffine/bnMomentum/bnEps; `groups` over `default`. Group names are checked
 * against the model when the step runs.
 */
export const bnPlanSchema = z.object({
  default: bnOverridesSchema.optional(),
  groups: z.record(z.string().min(1), bnOverridesSchema).optional(),
}).strict();

/** One stage of gradual unfreezing (fastai's fine_tune): from its first epoch these groups train, at this rate. */
export const trainStageSchema = z.object({
  freeze: checkedText(freezeProblem),
  epochs: posInt,
  /** The stage's base rate; the step's `lr` (or the optimizer's default) when absent. */
  lr: z.number().min(0).optional(),
}).strict();
export type TrainStage = z.infer<typeof trainStageSchema>;

/** What a train step without `stages` runs when it leaves these out (with stages, the stages say). */
export const UNSTAGED_DEFAULTS = { epochs: 1, freeze: 'none' } as const;

/** With `stages`, each stage says what trains and for how long; the step-level fields would contradict it. */
const STAGED_AWAY = ['epochs', 'steps', 'freeze'] as const;

export const trainStepSchema = optionsObject(TRAIN_OPTIONS).extend({
  /** Gradual unfreezing: one run in stages, each re-applying its freeze spec with a new optimizer. */
  stages: z.array(trainStageSchema).min(1).optional(),
  bn: bnPlanSchema.optional(),
  /** The id of a stopped or killed run to continue from its checkpoint, with the same options (`calibra runs resume ID`). */
  resume: z.string().min(1).optional(),
}).strict().superRefine((o, ctx) => {
  if (!o.stages) return;
  for (const field of STAGED_AWAY) {
    if (o[field] !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: `each stage sets its own freeze and epochs; drop '${field}' with stages` });
  }
}).transform(({ epochs, freeze, ...rest }) => ({
  ...rest,
  epochs: rest.stages ? rest.stages.reduce((sum, s) => sum + s.epochs, 0) : epochs ?? UNSTAGED_DEFAULTS.epochs,
  freeze: rest.stages ? rest.stages[0]!.freeze : freeze ?? UNSTAGED_DEFAULTS.freeze,
}));

export const recalibrateStepSchema = optionsObject(RECALIBRATE_OPTIONS);

export const inspectStepSchema = optionsObject(INSPECT_OPTIONS);

/** Test-time adaptation on unlabelled images; `tent` is entropy minimisation (Wang et al. 2021). */
export const adaptStepSchema = optionsObject(ADAPT_OPTIONS);

export type SynthStep = z.infer<typeof synthStepSchema>;
export type EvalStep = z.infer<typeof evalStepSchema>;
export type TrainStep = z.infer<typeof trainStepSchema>;
export type TrainStepInput = z.input<typeof trainStepSchema>;
export type RecalibrateStep = z.infer<typeof recalibrateStepSchema>;
export type InspectStep = z.infer<typeof inspectStepSchema>;
export type AdaptStep = z.infer<typeof adaptStepSchema>;

const STEP_SCHEMAS = { synth: synthStepSchema, eval: evalStepSchema, train: trainStepSchema, recalibrate: recalibrateStepSchema, inspect: inspectStepSchema, adapt: adaptStepSchema } as const;
export type StepKind = keyof typeof STEP_SCHEMAS;

export type Step =
  | { kind: 'synth'; name?: string; options: SynthStep }
  | { kind: 'eval'; name?: string; options: EvalStep }
  | { kind: 'train'; name?: string; options: TrainStep }
  | { kind: 'recalibrate'; name?: string; options: RecalibrateStep }
  | { kind: 'inspect'; name?: string; options: InspectStep }
  | { kind: 'adapt'; name?: string; options: AdaptStep };

export type StepIssue = { path: (string | number)[]; message: string };

/**
 * A step is `{<kind>: {...options}, name?: string}`. The kind is found first, so a mistake
 * inside a step is reported at its own field rather than as "matches no step type".
 */
export function parseStep(raw: unknown): Step | StepIssue {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { path: [], message: 'a step is a mapping like {train: {...}}' };
  const record = raw as Record<string, unknown>;
  const kinds = Object.keys(record).filter((k): k is StepKind => k in STEP_SCHEMAS);
  const extra = Object.keys(record).filter((k) => k !== 'name' && !(k in STEP_SCHEMAS));
  if (kinds.length !== 1 || extra.length > 0) {
    return { path: extra.length > 0 ? [extra[0]!] : [], message: `a step has exactly one of ${Object.keys(STEP_SCHEMAS).join(', ')} (and an optional name)` };
  }
  const kind = kinds[0]!;
  const parsed = STEP_SCHEMAS[kind].safeParse(record[kind]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { path: [kind, ...issue.path], message: issue.message };
  }
  const name = typeof record.name === 'string' ? record.name : undefined;
  return { kind, name, options: parsed.data } as Step;
}

export const workflowSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  /** Values for ${name} placeholders in step fields; `--set name=value` overrides them. */
  vars: z.record(z.union([z.string(), z.number(), z.boolean()])).default({}),
  steps: z.array(z.unknown()).min(1),
}).strict();
export type Workflow = z.infer<typeof workflowSchema>;

/** One line a person can act on: where in the preset, and what is wrong. */
export function describeZodError(error: z.ZodError, where: string): string {
  const issue = error.issues[0]!;
  return describeIssue({ path: issue.path, message: issue.message }, where);
}

export function describeIssue(issue: StepIssue, where: string): string {
  const at = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  return `${where}: ${at}: ${issue.message}`;
}
