// One run in stages (gradual unfreezing, as fastai's fine_tune): each stage sets what trains and
// with which optimizer and schedule, then the one training loop runs its epochs. To whoever
// listens, the stages are one run: epochs and steps count on across them, and each epoch of the
// run has its own data order. A run that is not staged is a run of one stage.
import type { tf } from '../engine/tf.js';
import type { EventSink, RunEvent } from '../events/run-events.js';
import type { StepOptimizer } from './optimizers.js';
import type { Schedule } from './schedule.js';
import { trainLoop, type EpochVerdict, type LoopPosition, type TrainLoopArgs, type TrainSummary } from './trainer.js';

export interface StageSetup {
  variables: tf.Variable[];
  /** Owned by the run from here: disposed when the stage ends. */
  optimizer: StepOptimizer;
  /** Over the stage's own steps, from 0. */
  schedule: Schedule;
}

export interface StagePlan {
  epochs: number;
  /** Puts the model in the stage's state (freezing, BN policy) and makes its optimizer; called as the stage begins. */
  begin(): Promise<StageSetup>;
}

/** What the stages before the one under way did, so that the run's counts go on from there. */
export type StagesDone = Pick<TrainSummary, 'epochs' | 'steps' | 'images' | 'seconds'>;

/**
 * Where a run in stages stands between two optimizer steps; with the weights and the stage's
 * optimizer state, enough to continue it exactly. Plain JSON.
 */
export interface StagedPosition {
  /** The stage under way, from 0. */
  stage: number;
  before: StagesDone;
  /** The stage's own loop: its epochs count from 1 and its steps (the schedule's position) from 0. */
  at: LoopPosition;
}

export type StagedRunArgs = Omit<TrainLoopArgs, 'variables' | 'optimizer' | 'schedule' | 'epochs' | 'resume' | 'checkpoint'> & {
  /** Continue from here: the stages before `resume.stage` are not begun, and the plan of that one must give the restored optimizer. */
  resume?: StagedPosition;
  /** As trainLoop's, with the run's position and the optimizer of the stage under way, whose state belongs in the checkpoint. */
  checkpoint?: (at: StagedPosition, optimizer: StepOptimizer) => Promise<void>;
};

export interface StagedSummary extends TrainSummary {
  /** `afterEpoch` stopped the run before its planned epochs. */
  stoppedEarly: boolean;
}

type Progress = Omit<StagesDone, 'seconds'>;

const NOTHING_DONE: StagesDone = { epochs: 0, steps: 0, images: 0, seconds: 0 };

/**
 * A stage's events as the run's: its epoch, step and image counts continue from those of the
 * stages before it, out of the run's totals.
 */
export function continueEvents(emit: EventSink, before: Progress, totals: Progress): EventSink {
  return (e: RunEvent) => {
    switch (e.type) {
      case 'EpochStarted': return emit({ ...e, epoch: e.epoch + before.epochs, epochs: totals.epochs });
      case 'EpochEnded': return emit({ ...e, epoch: e.epoch + before.epochs });
      case 'OptimizerStepped':
        return emit({ ...e, step: e.step + before.steps, totalSteps: totals.steps, imagesSeen: e.imagesSeen + before.images, totalImages: totals.images });
      default: return emit(e);
    }
  };
}

/**
 * Runs the stages in order through `trainLoop`, from the start or from `resume`; a stop from
 * `afterEpoch` ends the whole run, and `maxSteps` counts over all of it.
 */
export async function runStages(stages: readonly StagePlan[], args: StagedRunArgs): Promise<StagedSummary> {
  const accum = args.accum ?? 1;
  const stepsPerEpoch = Math.ceil(args.imagesPerEpoch / (args.batchSize * accum));
  const totalEpochs = stages.reduce((s, st) => s + st.epochs, 0);
  const totals = { epochs: totalEpochs, steps: args.maxSteps ?? stepsPerEpoch * totalEpochs, images: args.imagesPerEpoch * totalEpochs };
  const done: StagesDone = { ...(args.resume?.before ?? NOTHING_DONE) };
  const firstStage = args.resume?.stage ?? 0;
  let last: TrainSummary | null = null;
  let stoppedEarly = false;
  for (const [index, stage] of stages.entries()) {
    if (index < firstStage) continue;
    if (stoppedEarly || args.signal?.aborted || done.steps >= totals.steps) break;
    const setup = await stage.begin();
    const before = { ...done };
    const { checkpoint } = args;
    const summary = await trainLoop({
      ...args, ...setup, epochs: stage.epochs, maxSteps: args.maxSteps === undefined ? undefined : args.maxSteps - before.steps,
      source: (epoch, start) => args.source(before.epochs + epoch, start),
      emit: stages.length === 1 ? args.emit : continueEvents(args.emit, before, totals),
      resume: index === firstStage ? args.resume?.at : undefined,
      checkpoint: checkpoint && ((at) => checkpoint({ stage: index, before, at }, setup.optimizer)),
      afterEpoch: async (epoch): Promise<EpochVerdict> => {
        const verdict = await args.afterEpoch?.(before.epochs + epoch);
        stoppedEarly = verdict?.stop === true;
        return { stop: stoppedEarly };
      },
    }).finally(() => setup.optimizer.dispose());
    // A resumed stage's summary counts the whole stage, the part before the checkpoint included.
    Object.assign(done, { epochs: before.epochs + summary.epochs, steps: before.steps + summary.steps, images: before.images + summary.images, seconds: before.seconds + summary.seconds });
    last = summary;
  }
  return {
    steps: done.steps, images: done.images, seconds: done.seconds, imagesPerSecond: done.images / Math.max(done.seconds, 1e-9),
    loss: last?.loss ?? NaN, trainAccuracy: last?.trainAccuracy ?? 0, epochs: done.epochs, stoppedEarly,
  };
}
