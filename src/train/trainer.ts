// The one training loop. It owns its step (gradients, then applyGradients), which is where
// gradient accumulation happens, and it reports only through events.
import { tf } from '../engine/tf.js';
import { variableGradsFreeing } from '../engine/freeing-gradients.js';
import type { EventSink } from '../events/run-events.js';
import type { Manifest } from '../models/manifest.js';
import { inputTensor } from '../models/input-tensor.js';
import type { Batch } from '../data/batches.js';
import type { BatchSource } from './batch-source.js';
import { crossEntropyLoss, type StepLoss } from './loss.js';
import { BnMomentsTap } from './bn-moments-tap.js';
import { updatingBatchNorms } from './strategy.js';
import type { Schedule } from './schedule.js';
import type { StepOptimizer } from './optimizers.js';

export interface TrainLoopArgs extends StepArgs {
  /** Learning rate per optimizer step (0-based); without it the optimizer's own rate stays. */
  schedule?: Schedule;
  source: BatchSource;
  imagesPerEpoch: number;
  /** Images per micro-batch, as the source yields them. */
  batchSize: number;
  /** Micro-batches per optimizer step (gradient accumulation); 1 by default. */
  accum?: number;
  epochs: number;
  /** Stop after this many optimizer steps, even mid-epoch. */
  maxSteps?: number;
  /**
   * Called after each epoch, e.g. to validate (its result is emitted by the caller); `stop` ends
   * the run there, as early stopping asks.
   */
  afterEpoch?: (epoch: number) => Promise<EpochVerdict | void>;
  emit: EventSink;
  signal?: AbortSignal;
  /** Continue from here (a position given to `checkpoint` earlier) rather than from the start. */
  resume?: LoopPosition;
  /**
   * Called with the loop's position at each epoch's end (after afterEpoch), every
   * `checkpointEvery` optimizer steps, and when `signal` stops the loop mid-epoch. The weights
   * and the optimizer's state are the caller's to save alongside it.
   */
  checkpoint?: (at: LoopPosition) => Promise<void>;
  checkpointEvery?: number;
}

export interface EpochVerdict {
  stop: boolean;
}

export interface TrainSummary {
  /** Epochs ended, and optimizer steps and images, over the whole loop (a resumed loop's part before its checkpoint included). */
  epochs: number;
  steps: number;
  images: number;
  seconds: number;
  imagesPerSecond: number;
  loss: number;
  trainAccuracy: number;
}

/**
 * How BN layers that normalise with batch statistics move their averages over a step of several
 * micro-batches: `micro` once per micro-batch with its own statistics; `merged` once per step
 * with the exact statistics of all the step's images, as one batch of them would.
 */
export type BnAccum = 'micro' | 'merged';

export interface StepArgs {
  model: tf.LayersModel;
  manifest: Pick<Manifest, 'inputShape' | 'preprocessing' | 'classes' | 'output'>;
  variables: tf.Variable[];
  optimizer: StepOptimizer;
  /** Default: cross-entropy against the batch labels. */
  loss?: StepLoss;
  /** Default `micro`. */
  bnAccum?: BnAccum;
  /** How a batch becomes the model's input; default: pixels through the manifest's preprocessing. Cached features take their own. */
  input?: (batch: Batch) => tf.Tensor;
}

interface MicroResult {
  loss: tf.Scalar;
  correct: tf.Scalar;
  grads: tf.NamedTensorMap;
}

/** Gradients of one micro-batch's mean loss, and its loss and hit count; the caller owns them. */
function microBatchGradients(args: StepArgs, loss: StepLoss, batch: Batch): MicroResult {
  const { model, manifest } = args;
  return tf.tidy(() => {
    const x = args.input ? args.input(batch) : inputTensor(batch.x, batch.n, manifest.inputShape, manifest.preprocessing);
    const labels = tf.tensor1d(batch.y, 'int32');
    let correct: tf.Scalar | undefined;
    const { value, grads } = variableGradsFreeing(() => {
      const output = model.apply(x, { training: true }) as tf.Tensor;
      // The gradient computation disposes every intermediate, so the accuracy is taken here and kept.
      correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(output, -1), labels), 'int32'))) as tf.Scalar;
      return loss.compute(output, labels);
    }, args.variables);
    return { loss: value, correct: correct!, grads };
  }) as unknown as MicroResult;
}

/**
 * One optimizer step over one or more micro-batches. Each micro-batch's gradient is weighted by
 * its share of the images, so the step equals one batch of them all wherever the forward pass
 * does not depend on the grouping; BN with batch statistics is the exception (the trainer warns).
 * `correct` is NaN when the loss reads no labels.
 */
export async function trainStep(args: StepArgs, microBatches: readonly Batch[]): Promise<{ loss: number; correct: number; images: number }> {
  const stepLoss = args.loss ?? crossEntropyLoss(args.manifest.classes.length, args.manifest.output);
  // The forward pass cannot see the other micro-batches, but the averages can: moments are
  // merged over the step and folded in once.
  const tap = args.bnAccum === 'merged' && microBatches.length > 1 ? new BnMomentsTap(updatingBatchNorms(args.model)) : null;
  try {
    const result = await accumulate(args, stepLoss, microBatches);
    tap?.foldIntoAverages();
    return result;
  } finally {
    tap?.detach();
  }
}

async function accumulate(args: StepArgs, stepLoss: StepLoss, microBatches: readonly Batch[]): Promise<{ loss: number; correct: number; images: number }> {
  const images = microBatches.reduce((s, b) => s + b.n, 0);
  let sum: tf.NamedTensorMap | null = null;
  let loss = 0;
  let correct = stepLoss.supervised ? 0 : NaN;
  for (const batch of microBatches) {
    const micro = microBatchGradients(args, stepLoss, batch);
    const [l, c] = await Promise.all([micro.loss.data(), micro.correct.data()]);
    loss += l[0]! * batch.n;
    correct += c[0]!;
    tf.dispose([micro.loss, micro.correct]);
    if (microBatches.length === 1) {
      sum = micro.grads;
      break;
    }
    const previous: tf.NamedTensorMap | null = sum;
    sum = tf.tidy(() => Object.fromEntries(Object.entries(micro.grads).map(([name, g]) => {
      const weighted = tf.mul(g, batch.n / images);
      return [name, previous ? tf.add(previous[name]!, weighted) : weighted];
    })));
    tf.dispose([...Object.values(micro.grads), ...(previous ? Object.values(previous) : [])]);
  }
  args.optimizer.applyGradients(sum!);
  tf.dispose(Object.values(sum!));
  return { loss: loss / images, correct, images };
}

/**
 * Where a loop stands between two optimizer steps: with the weights and the optimizer's state,
 * enough to continue it as if it had never stopped. Plain JSON.
 */
export interface LoopPosition {
  /** The epoch under way (1-based); one past the last when all have ended. */
  epoch: number;
  /** How far that epoch's pass has got (see BatchSource); 0 at its start. */
  position: number;
  /** Optimizer steps and images of the whole run so far. */
  steps: number;
  images: number;
  /** The epoch's sums so far: images, loss·images, correct predictions. */
  epochImages: number;
  epochLoss: number;
  epochCorrect: number;
  /** The last ended epoch's loss and train accuracy; null before one ends. */
  loss: number | null;
  trainAccuracy: number | null;
  /** Seconds spent training so far, so that speeds after a resume count training time only. */
  seconds: number;
}

export const LOOP_START: LoopPosition = {
  epoch: 1, position: 0, steps: 0, images: 0, epochImages: 0, epochLoss: 0, epochCorrect: 0, loss: null, trainAccuracy: null, seconds: 0,
};

export async function trainLoop(args: TrainLoopArgs): Promise<TrainSummary> {
  const accum = args.accum ?? 1;
  const stepImages = args.batchSize * accum;
  const stepsPerEpoch = Math.ceil(args.imagesPerEpoch / stepImages);
  const totalSteps = args.maxSteps ?? stepsPerEpoch * args.epochs;
  const totalImages = Math.min(totalSteps * stepImages, args.imagesPerEpoch * args.epochs);
  const at: LoopPosition = { ...(args.resume ?? LOOP_START) };
  const start = performance.now() - at.seconds * 1000;
  let savedAtStep = -1;
  const checkpoint = async () => {
    if (!args.checkpoint) return;
    at.seconds = (performance.now() - start) / 1000;
    await args.checkpoint({ ...at });
    savedAtStep = at.steps;
  };
  let earlyStop = false;
  while (at.epoch <= args.epochs && at.steps < totalSteps && !earlyStop && !args.signal?.aborted) {
    args.emit({ type: 'EpochStarted', epoch: at.epoch, epochs: args.epochs });
    const epochStart = performance.now();
    const imagesBefore = at.epochImages;
    const runStep = async (group: Batch[], end: number) => {
      const lr = args.schedule?.(at.steps);
      if (lr !== undefined) args.optimizer.setLearningRate(lr);
      const result = await trainStep(args, group);
      at.steps++;
      at.position = end;
      at.images += result.images;
      at.epochImages += result.images;
      at.epochLoss += result.loss * result.images;
      at.epochCorrect += result.correct;
      const seconds = (performance.now() - start) / 1000;
      args.emit({
        type: 'OptimizerStepped', step: at.steps, totalSteps, imagesSeen: at.images, totalImages,
        loss: result.loss, accuracy: result.correct / result.images, imagesPerSecond: at.images / seconds, ...(lr === undefined ? {} : { lr }),
      });
      if (args.checkpointEvery && at.steps % args.checkpointEvery === 0) await checkpoint();
    };
    let group: Batch[] = [];
    let groupEnd = at.position;
    let stopped = false;
    for await (const batch of args.source(at.epoch, at.position)) {
      group.push(batch);
      groupEnd = batch.end ?? groupEnd + batch.n;
      if (group.length < accum) continue;
      await runStep(group, groupEnd);
      group = [];
      if (at.steps >= totalSteps) break;
      if (args.signal?.aborted) {
        stopped = true;
        break;
      }
    }
    // The epoch's last micro-batches make a smaller step rather than being dropped.
    if (!stopped && group.length > 0 && at.steps < totalSteps) {
      if (args.signal?.aborted) stopped = true;
      else await runStep(group, groupEnd);
    }
    const seconds = (performance.now() - epochStart) / 1000;
    const loss = at.epochLoss / Math.max(at.epochImages, 1);
    const accuracy = at.epochCorrect / Math.max(at.epochImages, 1);
    // A stopped epoch is reported as far as it got, for the record; it is neither validated nor
    // counted as ended, since a resumed run finishes it.
    args.emit({ type: 'EpochEnded', epoch: at.epoch, loss, accuracy, images: at.epochImages, seconds, imagesPerSecond: (at.epochImages - imagesBefore) / seconds });
    if (stopped) {
      if (savedAtStep !== at.steps) await checkpoint();
      break;
    }
    earlyStop = (await args.afterEpoch?.(at.epoch))?.stop === true;
    Object.assign(at, { epoch: at.epoch + 1, position: 0, epochImages: 0, epochLoss: 0, epochCorrect: 0, loss, trainAccuracy: accuracy });
    await checkpoint();
  }
  const seconds = (performance.now() - start) / 1000;
  return { epochs: at.epoch - 1, steps: at.steps, images: at.images, seconds, imagesPerSecond: at.images / Math.max(seconds, 1e-9), loss: at.loss ?? NaN, trainAccuracy: at.trainAccuracy ?? 0 };
}
