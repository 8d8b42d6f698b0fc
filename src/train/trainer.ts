// The one training loop. It owns its step (variableGrads + applyGradients) so gradient
// accumulation has a seam, and reports only through events.
import { tf } from '../engine/tf.js';
import type { EventSink } from '../events/run-events.js';
import type { Manifest } from '../models/manifest.js';
import { inputTensor } from '../models/input-tensor.js';
import type { Batch, BatchSource } from './batch-source.js';
import { crossEntropy } from './loss.js';
import type { Schedule } from './schedule.js';
import type { StepOptimizer } from './optimizers.js';

export interface TrainLoopArgs extends StepArgs {
  /** Learning rate per optimizer step (0-based); without it the optimizer's own rate stays. */
  schedule?: Schedule;
  source: BatchSource;
  imagesPerEpoch: number;
  batchSize: number;
  epochs: number;
  /** Stop after this many optimizer steps, even mid-epoch. */
  maxSteps?: number;
  /** Called after each epoch, e.g. to validate; its result is emitted by the caller. */
  afterEpoch?: (epoch: number) => Promise<void>;
  emit: EventSink;
  signal?: AbortSignal;
}

export interface TrainSummary {
  steps: number;
  images: number;
  seconds: number;
  imagesPerSecond: number;
  loss: number;
  trainAccuracy: number;
}

export interface StepArgs {
  model: tf.LayersModel;
  manifest: Pick<Manifest, 'inputShape' | 'preprocessing' | 'classes' | 'output'>;
  variables: tf.Variable[];
  optimizer: StepOptimizer;
}

/** One optimizer step on one batch; returns the loss and the count of correct predictions. */
export async function trainStep(args: StepArgs, batch: Batch): Promise<{ loss: number; correct: number }> {
  const { model, manifest } = args;
  const [loss, correct] = tf.tidy(() => {
    const x = inputTensor(batch.x, batch.n, manifest.inputShape, manifest.preprocessing);
    const labels = tf.tensor1d(batch.y, 'int32');
    let hits: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const output = model.apply(x, { training: true }) as tf.Tensor;
      // variableGrads disposes every intermediate, so the accuracy is taken here and kept.
      hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(output, -1), labels), 'int32')));
      return crossEntropy(output, labels, manifest.classes.length, manifest.output);
    }, args.variables);
    args.optimizer.applyGradients(grads);
    return [value, hits!];
  });
  const [l, c] = await Promise.all([loss.data(), correct.data()]);
  tf.dispose([loss, correct]);
  return { loss: l[0]!, correct: c[0]! };
}

export async function trainLoop(args: TrainLoopArgs): Promise<TrainSummary> {
  const stepsPerEpoch = Math.ceil(args.imagesPerEpoch / args.batchSize);
  const totalSteps = args.maxSteps ?? stepsPerEpoch * args.epochs;
  const totalImages = Math.min(totalSteps * args.batchSize, args.imagesPerEpoch * args.epochs);
  const start = performance.now();
  let steps = 0;
  let images = 0;
  let loss = NaN;
  let trainAccuracy = 0;
  for (let epoch = 1; epoch <= args.epochs && steps < totalSteps && !args.signal?.aborted; epoch++) {
    args.emit({ type: 'EpochStarted', epoch, epochs: args.epochs });
    const epochStart = performance.now();
    let epochImages = 0;
    let epochLoss = 0;
    let epochCorrect = 0;
    for await (const batch of args.source(epoch)) {
      if (args.schedule) args.optimizer.setLearningRate(args.schedule(steps));
      const result = await trainStep(args, batch);
      steps++;
      images += batch.n;
      epochImages += batch.n;
      epochLoss += result.loss * batch.n;
      epochCorrect += result.correct;
      const seconds = (performance.now() - start) / 1000;
      args.emit({
        type: 'OptimizerStepped', step: steps, totalSteps, imagesSeen: images, totalImages,
        loss: result.loss, accuracy: result.correct / batch.n, imagesPerSecond: images / seconds,
      });
      if (steps >= totalSteps || args.signal?.aborted) break;
    }
    const seconds = (performance.now() - epochStart) / 1000;
    loss = epochLoss / Math.max(epochImages, 1);
    trainAccuracy = epochCorrect / Math.max(epochImages, 1);
    args.emit({ type: 'EpochEnded', epoch, loss, accuracy: trainAccuracy, images: epochImages, seconds, imagesPerSecond: epochImages / seconds });
    await args.afterEpoch?.(epoch);
  }
  const seconds = (performance.now() - start) / 1000;
  return { steps, images, seconds, imagesPerSecond: images / Math.max(seconds, 1e-9), loss, trainAccuracy };
}
