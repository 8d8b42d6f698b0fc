// Loads a preset, fills in its variables, validates every step before running any, then runs
// the steps in order through the same step functions the CLI commands use.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.js';
import { describeIssue, describeZodError, parseStep, workflowSchema, type Step, type Workflow } from './schema.js';
import { substitute, type VarValue } from './substitute.js';
import type { StepEnv } from './step-env.js';
import type { EventSink } from '../events/run-events.js';
import type { SynthesisSummary } from '../data/synth/index.js';
import { runSynthStep } from './steps/synth.js';
import { runEvalStep, type EvalStepResult } from './steps/eval.js';
import { runTrainStep, type TrainStepResult } from './steps/train.js';
import { runRecalibrateStep, type RecalibrateStepResult } from './steps/recalibrate.js';
import { runInspectStep, type InspectStepResult } from './steps/inspect.js';
import { runAdaptStep, type AdaptStepResult } from './steps/adapt.js';

export interface LoadedWorkflow {
  workflow: Workflow;
  vars: Record<string, VarValue>;
  steps: Step[];
}

export async function loadWorkflow(file: string, overrides: Record<string, VarValue> = {}): Promise<LoadedWorkflow> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError(`${file}: cannot read the preset`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new InputError(`${file}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = workflowSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(describeZodError(parsed.error, file));
  const workflow = parsed.data;
  const unknown = Object.keys(overrides).filter((k) => !(k in workflow.vars));
  if (unknown.length > 0) throw new InputError(`--set ${unknown[0]}: ${file} has no variable '${unknown[0]}' (it has: ${Object.keys(workflow.vars).join(', ') || 'none'})`);
  const vars = { ...workflow.vars, ...overrides };
  const { value, missing } = substitute(workflow.steps, vars, ['steps']);
  if (missing.length > 0) throw new InputError(`${file}: ${missing[0]} is not defined in vars`);
  const steps = (value as unknown[]).map((s, i) => {
    const step = parseStep(s);
    if ('path' in step) throw new InputError(describeIssue({ path: ['steps', i, ...step.path], message: step.message }, file));
    return step;
  });
  return { workflow, vars, steps };
}

export interface StepResults {
  synth: SynthesisSummary;
  eval: EvalStepResult;
  train: TrainStepResult;
  recalibrate: RecalibrateStepResult;
  inspect: InspectStepResult;
  adapt: AdaptStepResult;
}

export interface StepOutcome {
  name: string;
  kind: Step['kind'];
  /** The run it was recorded as; null for a step that is not a run (synth). */
  runId: string | null;
  result: Record<string, unknown>;
}

const STEP_RUNNERS: { [K in Step['kind']]: (options: Extract<Step, { kind: K }>['options'], env: StepEnv) => Promise<StepResults[K]> } = {
  synth: runSynthStep,
  eval: runEvalStep,
  train: runTrainStep,
  recalibrate: runRecalibrateStep,
  inspect: runInspectStep,
  adapt: runAdaptStep,
};

/**
 * Runs one step and closes its run on the event stream: RunFinished with the result, or
 * RunFailed with the error (then rethrown). A step that fails before it could start (a missing
 * folder, a model that does not load) still opens its run first, so every RunFailed follows a
 * RunStarted and the failure is on record. Data generation is not a run.
 */
export async function runStep<S extends Step>(step: S, env: StepEnv): Promise<StepResults[S['kind']]> {
  if (step.kind === 'synth') return (await runSynthStep(step.options, env)) as StepResults[S['kind']];
  let started = false;
  const emit: EventSink = (e) => {
    if (e.type === 'RunStarted') started = true;
    env.emit(e);
  };
  try {
    const run = STEP_RUNNERS[step.kind] as (options: S['options'], env: StepEnv) => Promise<StepResults[S['kind']]>;
    const result = await run(step.options, { ...env, emit });
    emit({ type: 'RunFinished', result: { ...result } });
    return result;
  } catch (err) {
    if (!started) emit({ type: 'RunStarted', command: step.kind, backend: 'not started', config: { ...step.options }, totalSteps: 0, totalImages: 0 });
    emit({ type: 'RunFailed', error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}

/** The steps in order, each with the env `envFor` gives it; once `signal` aborts no further step starts. */
export async function runSteps(steps: readonly Step[], signal: AbortSignal | undefined, envFor: (index: number, step: Step) => StepEnv): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const [i, step] of steps.entries()) {
    // The step Ctrl+C interrupted ended itself; the next one must not begin.
    signal?.throwIfAborted();
    const env = envFor(i, step);
    outcomes.push({ name: stepName(step, i), kind: step.kind, runId: env.runId ?? null, result: { ...(await runStep(step, env)) } });
  }
  return outcomes;
}

/** A step's name in outcomes and events: its own, or its position and kind. */
export function stepName(step: Step, index: number): string {
  return step.name ?? `${index + 1}-${step.kind}`;
}
