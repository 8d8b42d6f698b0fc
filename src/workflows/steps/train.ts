import { resolve } from 'node:path';
import { InputError, RunError } from '../../errors.js';
import { HeapExhaustedError } from '../../engine/heap-guard.js';
import { loadModel, modelGroups, saveModel, countBatchNorm } from '../../models/model-io.js';
import { replaceHead } from '../../models/head.js';
import { parseFreezeSpec } from '../../models/groups.js';
import type { Manifest } from '../../models/manifest.js';
import { requireTrainable, stratifiedSplit } from '../../data/dataset.js';
import { feedFor, openLabelledFolder } from '../../train/data-feed.js';
import { applyStrategy } from '../../train/strategy.js';
import { trainLoop } from '../../train/trainer.js';
import { optimizerFor } from '../../train/optimizers.js';
import { constantLr } from '../../train/schedule.js';
import { evaluate } from '../../train/evaluate.js';
import type { TrainStep } from '../schema.js';
import type { StepEnv } from '../step-env.js';

export interface TrainStepResult {
  backend: string;
  images_per_second: number;
  steps: number;
  images: number;
  seconds: number;
  loss: number;
  train_accuracy: number;
  val_accuracy: number | null;
  val_n: number | null;
  out: string;
  contentHash: string;
  classes: string[];
  trainable_groups: string[];
  trainable_params: number;
  dataset: string;
  skipped: { path: string; reason: string }[];
}

export async function runTrainStep(o: TrainStep, env: StepEnv): Promise<TrainStepResult> {
  const freeze = parseFreezeSpec(o.freeze)!;
  const lr = o.lr ?? (o.optimizer === 'adam' ? 1e-3 : 1e-2);
  const out = resolve(o.out);
  const backend = await env.engine();
  const parent = await loadModel(o.model);
  if (o.val && o.valSplit > 0) throw new InputError('--val-split: give either --val DIR or --val-split F, not both');
  const dataSet = await openLabelledFolder(o.data, '--data');
  requireTrainable(dataSet);
  for (const w of dataSet.warnings) env.log(`warning: --data: ${w}`);
  const split = o.valSplit > 0 ? stratifiedSplit(dataSet, { valFraction: o.valSplit, seed: o.seed }) : null;
  const trainSet = split?.train ?? dataSet;
  const valSet = split?.val ?? (o.val ? await openLabelledFolder(o.val, '--val') : undefined);
  if (split) env.log(`holding out ${split.val.items.length} of ${dataSet.items.length} images of --data for validation (seed ${o.seed})`);

  const dataClasses = trainSet.classNames.filter((_, i) => trainSet.items.some((it) => it.label === i));
  const keepsHead = o.cut === undefined && dataClasses.every((c) => parent.manifest.classes.includes(c));
  const model = keepsHead ? parent.model : replaceHead(parent.model, dataClasses.length, o.cut);
  if (!keepsHead) env.log(`new head: ${dataClasses.length} classes (${dataClasses.slice(0, 8).join(', ')}${dataClasses.length > 8 ? ', …' : ''}) after '${o.cut ?? 'the last pooling layer'}'`);
  const groups = modelGroups(model);
  const manifest: Manifest = {
    ...parent.manifest,
    classes: keepsHead ? parent.manifest.classes : dataClasses,
    output: keepsHead ? parent.manifest.output : 'logits',
    groups,
    bnLayers: countBatchNorm(model),
  };
  const strategy = applyStrategy(model, groups, { freeze, bnStats: o.bnStats, bnAffine: o.bnAffine, bnMomentum: o.bnMomentum });
  if (strategy.variables.length === 0) throw new InputError(`--freeze ${o.freeze}: leaves nothing to train`);
  env.log(`training groups ${strategy.trainableGroups.join(', ')}: ${strategy.trainableParams} of ${strategy.totalParams} parameters`);

  const bnUpdating = strategy.batchNormUpdating;
  if (o.accum > 1 && bnUpdating > 0) {
    const message = `--accum ${o.accum} with --bn-stats update: ${bnUpdating} BN layer(s) normalise each pass of ${o.batch} images with that pass's statistics, so a step is not the same as one batch of ${o.batch * o.accum}; --bn-stats freeze makes it exact`;
    env.log(`warning: ${message}`);
    env.emit({ type: 'RunWarning', message });
  }
  const feed = feedFor(trainSet, manifest.classes, manifest, { batchSize: o.batch, shuffle: o.shuffle, augment: o.augment, seed: o.seed });
  const valFeed = valSet ? feedFor(valSet, manifest.classes, manifest, { batchSize: 64, shuffle: false, augment: false, seed: 0 }, '--val') : undefined;
  const valHistory: { epoch: number; accuracy: number; n: number }[] = [];
  const config = { ...o, lr, out, data: resolve(o.data), val: o.val ? resolve(o.val) : split ? `${o.valSplit} of data` : null, parent: parent.manifest.contentHash, newHead: !keepsHead };
  const imagesPerEpoch = feed.items.length;
  const stepsPerEpoch = Math.ceil(imagesPerEpoch / (o.batch * o.accum));
  const epochs = o.steps ? Math.ceil(o.steps / stepsPerEpoch) : o.epochs;
  env.emit({ type: 'RunStarted', command: 'train', backend: backend.name, config, totalSteps: o.steps ?? stepsPerEpoch * epochs, totalImages: imagesPerEpoch * epochs });
  const optimizer = optimizerFor(o.optimizer, lr);
  const summary = await trainLoop({
    model, manifest, variables: strategy.variables, optimizer, schedule: constantLr(lr),
    source: feed.source, imagesPerEpoch, batchSize: o.batch, accum: o.accum, epochs, maxSteps: o.steps, emit: env.emit, signal: env.signal,
    afterEpoch: valFeed ? async (epoch) => {
      const r = await evaluate(model, manifest, valFeed.source(0), valFeed.items.length);
      valHistory.push({ epoch, accuracy: r.accuracy, n: r.n });
      env.emit({ type: 'ValidationEnded', epoch, accuracy: r.accuracy, n: r.n });
    } : undefined,
  }).catch((err: unknown) => {
    if (!(err instanceof HeapExhaustedError)) throw err;
    const smaller = Math.max(1, Math.floor(o.batch / 2));
    throw new RunError(`${err.message} at --batch ${o.batch}. Use --batch ${smaller} --accum ${Math.ceil((o.batch * o.accum) / smaller)} to keep ${o.batch * o.accum} images per step in less memory`);
  }).finally(() => optimizer.dispose());
  env.signal?.throwIfAborted();
  const skipped = [...feed.badFiles.list(), ...(valFeed?.badFiles.list() ?? [])];
  if (skipped.length > 0) env.emit({ type: 'DataSkipped', files: skipped });

  const saved = await saveModel(model, {
    ...manifest,
    id: out.split('/').filter(Boolean).pop() ?? 'model',
    description: `${parent.manifest.id} fine-tuned on ${resolve(o.data)}`,
    recipe: { command: 'train', ...config, backend: backend.name, result: { steps: summary.steps, loss: summary.loss, trainAccuracy: summary.trainAccuracy, val: valHistory } },
    bnStatistics: o.bnStats === 'freeze' ? parent.manifest.bnStatistics : `fine-tune:${feed.hash}`,
    lineage: { parent: parent.manifest.contentHash, dataset: feed.hash },
  }, out);
  env.emit({ type: 'CheckpointSaved', path: out, contentHash: saved.contentHash });
  model.dispose();
  const last = valHistory[valHistory.length - 1];
  return {
    backend: backend.name, images_per_second: Number(summary.imagesPerSecond.toFixed(2)), steps: summary.steps, images: summary.images,
    seconds: Number(summary.seconds.toFixed(2)), loss: summary.loss, train_accuracy: summary.trainAccuracy,
    val_accuracy: last?.accuracy ?? null, val_n: last?.n ?? null, out, contentHash: saved.contentHash,
    classes: manifest.classes, trainable_groups: strategy.trainableGroups, trainable_params: strategy.trainableParams, dataset: feed.hash, skipped,
  };
}
