// Workflow presets are data: one zod schema gives both the TypeScript types and the validation,
// for YAML presets, for CLI flags and for the TUI alike.
import { z } from 'zod';
import { parseFreezeSpec } from '../models/groups.js';
import { DEFAULT_MIN_IMAGES } from '../bn/min-images.js';
import { isPreprocessSpec } from '../models/preprocessing.js';
import { SCHEDULES } from '../train/schedule.js';

const path = z.string().min(1);
const posInt = z.number().int().min(1);
/** NEW=OLD pairs, `@file.json`, or (in a preset) a mapping {NEW: OLD}: see models/class-map.ts. */
const classMap = z.union([z.string().min(1), z.record(z.string())]);
const preprocess = z.string().refine(isPreprocessSpec, { message: 'expected SCALING (0-1, -1-1, imagenet, mean=R,G,B/std=R,G,B), RESIZE (squash, center-crop, letterbox, center-crop-0.875) or SCALING,RESIZE' });

export const synthStepSchema = z.object({
  domain: z.string().min(1),
  out: path,
  perClass: posInt.optional(),
  size: z.number().int().min(8).max(1024).optional(),
  seed: z.number().int().optional(),
  /** Replace a set Calibra wrote at `out` (atomically) instead of refusing; lets a preset run again. */
  overwrite: z.boolean().default(false),
  /** The earlier name of `overwrite`, still accepted so presets written with it keep running. */
  replace: z.boolean().optional(),
}).strict().transform(({ replace, ...rest }) => ({ ...rest, overwrite: rest.overwrite || replace === true }));

/** Load a model whose weights do not match its manifest's content hash. */
const trustWeights = z.boolean().default(false);

export const evalStepSchema = z.object({
  model: path,
  data: path,
  batch: posInt.default(64),
  classMap: classMap.optional(),
  preprocess: preprocess.optional(),
  trustWeights,
  /** Also score the images with BN batch statistics, against the moving statistics. */
  bnCheck: z.boolean().default(false),
  /** Also list the misclassified images, each with its true and predicted class. */
  errors: z.boolean().default(false),
  /** Test-time augmentation: `flip` averages each image's probabilities with its mirror's; absent, none. */
  tta: z.enum(['none', 'flip']).optional(),
}).strict();

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

const freezeSpec = z.string().refine((s) => parseFreezeSpec(s) !== null, { message: 'expected none, backbone or last:N (N ≥ 1)' });

/** One stage of gradual unfreezing (fastai's fine_tune): from its first epoch these groups train, at this rate. */
export const trainStageSchema = z.object({
  freeze: freezeSpec,
  epochs: posInt,
  /** The stage's base rate; the step's `lr` (or the optimizer's default) when absent. */
  lr: z.number().min(0).optional(),
}).strict();
export type TrainStage = z.infer<typeof trainStageSchema>;

/** With `stages`, each stage says what trains and for how long; the step-level fields would contradict it. */
const STAGED_AWAY = ['epochs', 'steps', 'freeze'] as const;

export const trainStepSchema = z.object({
  model: path,
  data: path,
  out: path,
  val: path.optional(),
  /** Hold out this share of each class of `data` for validation (seeded), instead of `val`. */
  valSplit: z.number().min(0).max(0.9).default(0),
  cut: z.string().min(1).optional(),
  /** Default 1; the sum of the stages' epochs with `stages`. */
  epochs: posInt.optional(),
  steps: posInt.optional(),
  batch: posInt.default(32),
  /** Micro-batches of `batch` images per optimizer step. */
  accum: posInt.default(1),
  lr: z.number().min(0).optional(),
  optimizer: z.enum(['sgd', 'adam', 'adamw']).default('adam'),
  /** SGD only: Nesterov momentum. */
  nesterov: z.boolean().default(false),
  /** L2 for sgd and adam, decoupled for adamw; variables of rank ≤ 1 (biases, BN gamma and beta) never decay. */
  weightDecay: z.number().min(0).default(0),
  /** Learning rate per optimizer step over the steps the run makes (per stage, with `stages`). */
  schedule: z.enum(SCHEDULES).default('constant'),
  /** Optimizer steps of linear warm-up; the rise of a one-cycle schedule. */
  warmup: z.number().int().min(0).default(0),
  /** Share ε of the target spread evenly over the classes: (1 − ε)·one-hot + ε/K. */
  labelSmoothing: z.number().min(0).lt(1).default(0),
  /** Discriminative rates: `stem=0.1,block1=0.3` or `geometric:F` (see lr-multipliers.ts). */
  lrMult: z.string().min(1).optional(),
  /** Which epoch's weights to save: `best` by `monitor` on validation (the default when there is validation), or `last`. */
  keep: z.enum(['best', 'last']).optional(),
  /** What `keep: best` and `patience` judge epochs by; `val_accuracy` when absent. */
  monitor: z.enum(['val_accuracy', 'val_loss']).optional(),
  /** Stop after this many epochs without improvement of `monitor`. */
  patience: posInt.optional(),
  /** Gradual unfreezing: one run in stages, each re-applying its freeze spec with a new optimizer. */
  stages: z.array(trainStageSchema).min(1).optional(),
  /** Default none; the first stage's with `stages`. */
  freeze: freezeSpec.optional(),
  bnStats: z.enum(['freeze', 'update', 'reset']).default('update'),
  bnAffine: z.enum(['train', 'freeze']).default('train'),
  bnMomentum: z.number().min(0).max(1).default(0.9),
  /** BN epsilon for the groups that train; the model's own when absent. */
  bnEps: z.number().positive().optional(),
  /** How BN averages move over the micro-batches of one step (see BnAccum). */
  bnAccum: z.enum(['micro', 'merged']).default('micro'),
  bn: bnPlanSchema.optional(),
  seed: z.number().int().default(0),
  augment: z.boolean().default(true),
  shuffle: z.boolean().default(true),
  classMap: classMap.optional(),
  preprocess: preprocess.optional(),
  /** Replace a model Calibra wrote at `out`; anything else there is always refused. */
  overwrite: z.boolean().default(false),
  trustWeights,
  /** Also checkpoint every N optimizer steps (a checkpoint is always written at each epoch's end and on Ctrl+C). */
  checkpointEvery: posInt.optional(),
  /** The id of a stopped or killed run to continue from its checkpoint, with the same options (`calibra runs resume ID`). */
  resume: z.string().min(1).optional(),
}).strict().superRefine((o, ctx) => {
  if (!o.stages) return;
  for (const field of STAGED_AWAY) {
    if (o[field] !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: `each stage sets its own freeze and epochs; drop '${field}' with stages` });
  }
}).transform(({ epochs, freeze, ...rest }) => ({
  ...rest,
  epochs: rest.stages ? rest.stages.reduce((sum, s) => sum + s.epochs, 0) : epochs ?? 1,
  freeze: rest.stages ? rest.stages[0]!.freeze : freeze ?? 'none',
}));

export const recalibrateStepSchema = z.object({
  model: path,
  images: path,
  out: path,
  mode: z.enum(['exact', 'fast']).default('exact'),
  batch: posInt.default(32),
  /** Only the BN layers of these groups; all when absent. */
  groups: z.array(z.string().min(1)).min(1).optional(),
  minImages: posInt.default(DEFAULT_MIN_IMAGES),
  preprocess: preprocess.optional(),
  overwrite: z.boolean().default(false),
  trustWeights,
}).strict();

export const inspectStepSchema = z.object({
  model: path,
  images: path,
  batch: posInt.default(32),
  trustWeights,
}).strict();

/** Test-time adaptation on unlabelled images; `tent` is entropy minimisation (Wang et al. 2021). */
export const adaptStepSchema = z.object({
  method: z.enum(['tent']).default('tent'),
  model: path,
  images: path,
  out: path,
  /** Optimizer steps; one pass over the images when absent. */
  steps: posInt.optional(),
  batch: posInt.default(64),
  lr: z.number().positive().default(1e-3),
  optimizer: z.enum(['sgd', 'adam']).default('adam'),
  seed: z.number().int().default(0),
  /** Replace a Calibra model already at `out`. */
  overwrite: z.boolean().default(false),
  trustWeights,
}).strict();

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
