// TENT (Wang et al., 2021): test-time entropy minimisation on unlabelled images. Only BN's gamma
// and beta train, BN normalises with batch statistics, and the loss is the mean entropy of the
// predictions; the step is the one training loop's, with the loss swapped.
//
// The moving statistics: TENT itself predicts with batch statistics, but a saved model runs in
// inference mode. So while TENT runs, every BN layer's input moments are merged exactly over all
// the images it sees, and at the end they become the moving statistics (the layers do not move
// their averages step by step meanwhile). They are the target data's population statistics, as
// the network computed them during adaptation.
import { InputError } from '../errors.js';
import type { BatchSource } from './batch-source.js';
import { BnMomentsTap } from './bn-moments-tap.js';
import { entropyLoss } from './loss.js';
import { applyTentStrategy, updatingBatchNorms } from './strategy.js';
import { trainLoop, type StepArgs, type TrainSummary } from './trainer.js';
import type { EventSink } from '../events/run-events.js';

export interface TentArgs extends Omit<StepArgs, 'variables' | 'loss' | 'bnAccum'> {
  source: BatchSource;
  imagesPerEpoch: number;
  batchSize: number;
  /** Optimizer steps; one pass over the images when absent. */
  steps?: number;
  emit: EventSink;
  signal?: AbortSignal;
}

export interface TentSummary extends TrainSummary {
  /** Parameters that trained: the BN layers' gamma and beta. */
  trainableParams: number;
  bnLayers: number;
}

export async function tent(args: TentArgs): Promise<TentSummary> {
  const strategy = applyTentStrategy(args.model);
  if (strategy.variables.length === 0) throw new InputError('--model: has no BN layers with gamma or beta, which are all TENT adapts');
  const stepsPerEpoch = Math.ceil(args.imagesPerEpoch / args.batchSize);
  const epochs = args.steps ? Math.ceil(args.steps / stepsPerEpoch) : 1;
  const tap = new BnMomentsTap(updatingBatchNorms(args.model));
  try {
    const summary = await trainLoop({
      ...args, variables: strategy.variables, loss: entropyLoss(args.manifest.output), epochs, maxSteps: args.steps,
    });
    tap.setMovingStatistics();
    return { ...summary, trainableParams: strategy.trainableParams, bnLayers: strategy.batchNormUpdating };
  } finally {
    tap.detach();
  }
}
