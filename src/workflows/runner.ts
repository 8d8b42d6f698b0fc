// Loads a preset, fills in its variables, validates every step before running any, then runs
// the steps in order through the same step functions the CLI commands use.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.js';
import { describeIssue, describeZodError, parseStep, workflowSchema, type Step, type Workflow } from './schema.js';
import { substitute, type VarValue } from './substitute.js';
import type { StepEnv } from './step-env.js';
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
  result: Record<string, unknown>;
}

/**
 * Runs one step and closes its run on the event stream: RunFinished with the result, or
 * RunFailed with the error (then rethrown). Data generation is not a run.
 */
export async function runStep<S extends Step>(step: S, env: StepEnv): Promise<StepResults[S['kind']]> {
  try {
    const result = step.kind === 'synth' ? await runSynthStep(step.options, env)
      : step.kind === 'eval' ? await runEvalStep(step.options, env)
      : step.kind === 'recalibrate' ? await runRecalibrateStep(step.options, env)
      : step.kind === 'inspect' ? await runInspectStep(step.options, env)
      : step.kind === 'adapt' ? await runAdaptStep(step.options, env)
      : await runTrainStep(step.options, env);
    if (step.kind !== 'synth') env.emit({ type: 'RunFinished', result: { ...result } });
    return result as StepResults[S['kind']];
  } catch (err) {
    if (step.kind !== 'synth') env.emit({ type: 'RunFailed', error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}

export async function runSteps(steps: readonly Step[], env: StepEnv, onStep?: (index: number, step: Step) => void): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const [i, step] of steps.entries()) {
    // After Ctrl+C no further step starts; the step it interrupted ended itself.
    env.signal?.throwIfAborted();
    onStep?.(i, step);
    outcomes.push({ name: step.name ?? `${i + 1}-${step.kind}`, kind: step.kind, result: { ...(await runStep(step, env)) } });
  }
  return outcomes;
}
