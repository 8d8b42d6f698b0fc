// The one training loop. It owns its step (variableGrads + applyGradients), which is where
// gradient accumulation happens, and it reports only through events.
import { tf } from '../engine/tf.js';
import type { EventSink } from '../events/run-events.js';
import type { Manifest } from '../models/manifest.js';
import { inputTensor } from '../models/input-tensor.js';
import type { Batch, BatchSource } from './batch-source.js';
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
}

export interface EpochVerdict {
  stop: boolean;
}

export interface TrainSummary {
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
    const x = inputTensor(batch.x, batch.n, manifest.inputShape, manifest.preprocessing);
    const labels = tf.tensor1d(batch.y, 'int32');
    let correct: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const output = model.apply(x, { training: true }) as tf.Tensor;
      // variableGrads disposes every intermediate, so the accuracy is taken here and kept.
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

export async function trainLoop(args: TrainLoopArgs): Promise<TrainSummary> {
  const accum = args.accum ?? 1;
  const stepImages = args.batchSize * accum;
  const stepsPerEpoch = Math.ceil(args.imagesPerEpoch / stepImages);
  const totalSteps = args.maxSteps ?? stepsPerEpoch * args.epochs;
  const totalImages = Math.min(totalSteps * stepImages, args.imagesPerEpoch * args.epochs);
  const start = performance.now();
  let steps = 0;
  let images = 0;
  let loss = NaN;
  let trainAccuracy = 0;
  let stopped = false;
  for (let epoch = 1; epoch <= args.epochs && steps < totalSteps && !stopped && !args.signal?.aborted; epoch++) {
    args.emit({ type: 'EpochStarted', epoch, epochs: args.epochs });
    const epochStart = performance.now();
    let epochImages = 0;
    let epochLoss = 0;
    let epochCorrect = 0;
    const runStep = async (group: Batch[]) => {
      const lr = args.schedule?.(steps);
      if (lr !== undefined) args.optimizer.setLearningRate(lr);
      const result = await trainStep(args, group);
      steps++;
      images += result.images;
      epochImages += result.images;
      epochLoss += result.loss * result.images;
      epochCorrect += result.correct;
      const seconds = (performance.now() - start) / 1000;
      args.emit({
        type: 'OptimizerStepped', step: steps, totalSteps, imagesSeen: images, totalImages,
        loss: result.loss, accuracy: result.correct / result.images, imagesPerSecond: images / seconds, ...(lr === undefined ? {} : { lr }),
      });
    };
    let group: Batch[] = [];
    for await (const batch of args.source(epoch)) {
      group.push(batch);
      if (group.length < accum) continue;
      await runStep(group);
      group = [];
      if (steps >= totalSteps || args.signal?.aborted) break;
    }
    // The epoch's last micro-batches make a smaller step rather than being dropped.
    if (group.length > 0 && steps < totalSteps && !args.signal?.aborted) await runStep(group);
    const seconds = (performance.now() - epochStart) / 1000;
    loss = epochLoss / Math.max(epochImages, 1);
    trainAccuracy = epochCorrect / Math.max(epochImages, 1);
    args.emit({ type: 'EpochEnded', epoch, loss, accuracy: trainAccuracy, images: epochImages, seconds, imagesPerSecond: epochImages / seconds });
    stopped = (await args.afterEpoch?.(epoch))?.stop === true;
  }
  const seconds = (performance.now() - start) / 1000;
  return { steps, images, seconds, imagesPerSecond: images / Math.max(seconds, 1e-9), loss, trainAccuracy };
}
