// The train step's recipe settings that depend on one another, checked before anything loads:
// the default rate per optimizer, what is kept and monitored given the validation there is, and
// the stages with the optimizer steps each makes (what its schedule spans).
import { InputError } from '../../errors.js';
import type { Monitor } from '../../train/epoch-monitor.js';
import type { KeepMode } from '../../train/keep-best.js';
import type { TrainStep } from '../schema.js';

export function defaultLr(optimizer: TrainStep['optimizer']): number {
  return optimizer === 'sgd' ? 1e-2 : 1e-3;
}

export interface KeepPlan {
  keep: KeepMode;
  /** Null without validation. */
  monitor: Monitor | null;
  patience: number | null;
}

/** `best` by default when epochs can be judged on validation; asking to judge them without it is an error. */
export function keepPlan(o: Pick<TrainStep, 'keep' | 'monitor' | 'patience'>, validated: boolean): KeepPlan {
  if (!validated) {
    const asked = o.keep === 'best' ? '--keep best' : o.monitor !== undefined ? `--monitor ${o.monitor}` : o.patience !== undefined ? `--patience ${o.patience}` : null;
    if (asked) throw new InputError(`${asked}: epochs are judged on validation data; give --val DIR or --val-split F${o.keep === 'best' ? ', or --keep last' : ''}`);
    return { keep: 'last', monitor: null, patience: null };
  }
  return { keep: o.keep ?? 'best', monitor: o.monitor ?? 'val_accuracy', patience: o.patience ?? null };
}

export interface StagePlanSpec {
  /** How errors name the stage's freeze spec: `--freeze` or `stages.N.freeze`. */
  where: string;
  freeze: string;
  epochs: number;
  lr: number;
  /** Optimizer steps the stage makes. */
  steps: number;
}

/**
 * The run's stages: the step's own `stages`, or one stage of `epochs` (or of `steps`). Warm-up
 * longer than a stage would never reach the stage's rate, so it is refused.
 */
export function stagePlans(o: Pick<TrainStep, 'stages' | 'freeze' | 'epochs' | 'steps' | 'warmup' | 'schedule'>, lr: number, stepsPerEpoch: number): StagePlanSpec[] {
  const plans = o.stages
    ? o.stages.map((s, i) => ({ where: `stages.${i}.freeze`, freeze: s.freeze, epochs: s.epochs, lr: s.lr ?? lr, steps: stepsPerEpoch * s.epochs }))
    : [{ where: '--freeze', freeze: o.freeze, epochs: o.steps ? Math.ceil(o.steps / stepsPerEpoch) : o.epochs, lr, steps: o.steps ?? stepsPerEpoch * o.epochs }];
  for (const [i, p] of plans.entries()) {
    if (o.warmup > 0 && o.warmup >= p.steps) {
      const what = o.schedule === 'onecycle' ? 'a one-cycle rise' : 'warm-up';
      throw new InputError(`--warmup ${o.warmup}: ${o.stages ? `stage ${i + 1}` : 'the run'} makes only ${p.steps} optimizer steps, too few for ${what} of ${o.warmup}`);
    }
  }
  return plans;
}
