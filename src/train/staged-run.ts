// One run in stages (gradual unfreezing, as fastai's fine_tune): each stage sets what trains and
// with which optimizer and schedule, then the one training loop runs its epochs. To whoever
// listens, the stages are one run: epochs and steps count on across them.
import type { tf } from '../engine/tf.js';
import type { EventSink, RunEvent } from '../events/run-events.js';
import type { StepOptimizer } from './optimizers.js';
import type { Schedule } from './schedule.js';
import { trainLoop, type EpochVerdict, type TrainLoopArgs, type TrainSummary } from './trainer.js';

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

export type StagedRunArgs = Omit<TrainLoopArgs, 'variables' | 'optimizer' | 'schedule' | 'epochs'>;

export interface StagedSummary extends TrainSummary {
  /** Epochs run; fewer than planned when `afterEpoch` stopped the run. */
  epochs: number;
  stoppedEarly: boolean;
}

interface Progress {
  epochs: number;
  steps: number;
  images: number;
}

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
 * Runs the stages in order through `trainLoop`; a stop from `afterEpoch` ends the whole run, and
 * `maxSteps` counts over all of it.
 */
export async function runStages(stages: readonly StagePlan[], args: StagedRunArgs): Promise<StagedSummary> {
  const accum = args.accum ?? 1;
  const stepsPerEpoch = Math.ceil(args.imagesPerEpoch / (args.batchSize * accum));
  const totalEpochs = stages.reduce((s, st) => s + st.epochs, 0);
  const totals = { epochs: totalEpochs, steps: args.maxSteps ?? stepsPerEpoch * totalEpochs, images: args.imagesPerEpoch * totalEpochs };
  const done: Progress = { epochs: 0, steps: 0, images: 0 };
  let seconds = 0;
  let last: TrainSummary | null = null;
  let stoppedEarly = false;
  for (const stage of stages) {
    if (stoppedEarly || args.signal?.aborted || done.steps >= totals.steps) break;
    const setup = await stage.begin();
    const offset = { ...done };
    const summary = await trainLoop({
      ...args, ...setup, epochs: stage.epochs, maxSteps: args.maxSteps === undefined ? undefined : args.maxSteps - done.steps,
      emit: stages.length === 1 ? args.emit : continueEvents(args.emit, offset, totals),
      afterEpoch: async (epoch): Promise<EpochVerdict> => {
        done.epochs = offset.epochs + epoch;
        const verdict = await args.afterEpoch?.(done.epochs);
        stoppedEarly = verdict?.stop === true;
        return { stop: stoppedEarly };
      },
    }).finally(() => setup.optimizer.dispose());
    done.steps += summary.steps;
    done.images += summary.images;
    seconds += summary.seconds;
    last = summary;
  }
  return {
    steps: done.steps, images: done.images, seconds, imagesPerSecond: done.images / Math.max(seconds, 1e-9),
    loss: last?.loss ?? NaN, trainAccuracy: last?.trainAccuracy ?? 0, epochs: done.epochs, stoppedEarly,
  };
}
