import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError, RunError } from '../../errors.js';
import { HeapExhaustedError } from '../../engine/heap-guard.js';
import { loadModel, locateModel, saveModel } from '../../models/model-io.js';
import { madeManifest, modelGroups } from '../../models/manifest-builder.js';
import { PRETRAINED_DIR } from '../../models/zoo.js';
import { checkOutput, type OutputRules } from '../../util/output-guard.js';
import { recoverBeside } from '../../util/interrupted-writes.js';
import { chooseHead } from '../../models/head-choice.js';
import { manifestPreprocessingNote, withPreprocess } from '../../models/preprocessing.js';
import { parseFreezeSpec } from '../../models/groups.js';
import type { Manifest } from '../../models/manifest.js';
import { requireTrainable, stratifiedSplit } from '../../data/dataset.js';
import { feedFor, ignoredNote, openLabelledFolder, requireReadable } from '../../train/data-feed.js';
import { NOTHING_IGNORED, mergeIgnored, type IgnoredSummary } from '../../data/ignored-files.js';
import { evaluate } from '../../train/evaluate.js';
import { crossEntropyLoss } from '../../train/loss.js';
import { runStages, type StagePlan, type StagedPosition } from '../../train/staged-run.js';
import { EpochMonitor, type Monitor } from '../../train/epoch-monitor.js';
import { EpochKeeper, type KeepMode } from '../../train/keep-best.js';
import { bnCheck, BN_CHECK_SEED, type BnCheck } from '../../train/bn-check.js';
import { bestTensors, captureTensors, checkpointDir, restoreTensors, writeCheckpoint } from '../../train/checkpoint.js';
import type { StepOptimizer } from '../../train/optimizers.js';
import { calibraHome } from '../../store/run-store.js';
import { newRunId } from '../../store/run-id.js';
import { checkResume, describePosition, optionsToKeep, requireCheckpoint, stagedPosition } from './train-resume.js';
import type { TrainStep } from '../schema.js';
import type { StepEnv } from '../step-env.js';
import { defaultLr, keepPlan, stagePlans } from './train-recipe.js';
import { StageStarter } from './train-stage.js';
import { checkFeatureCacheOptions, planFeatureCache, type FeatureCacheStatus } from './train-feature-cache.js';

export interface TrainStepResult {
  backend: string;
  images_per_second: number;
  steps: number;
  images: number;
  seconds: number;
  loss: number;
  train_accuracy: number;
  /** Of the epoch saved (see `keep`), on the validation data. */
  val_accuracy: number | null;
  val_loss: number | null;
  val_n: number | null;
  keep: KeepMode;
  monitor: Monitor | null;
  /** The epoch whose weights and BN statistics were saved. */
  kept_epoch: number;
  /** The best epoch by `monitor`, and its validation accuracy and loss; null without validation. */
  best_epoch: number | null;
  best_val_accuracy: number | null;
  best_val_loss: number | null;
  epochs_run: number;
  /** `patience` epochs went by without improvement. */
  stopped_early: boolean;
  out: string;
  contentHash: string;
  classes: string[];
  trainable_groups: string[];
  trainable_params: number;
  dataset: string;
  skipped: { path: string; reason: string }[];
  /** Entries of --data and --val passed over by name (not images, or hidden). */
  ignored: IgnoredSummary;
  /** After training, on --val (else on --data, unaugmented): batch against moving BN statistics. */
  bnCheck: BnCheck | null;
  /** Whether the head trained on cached backbone features: built now, found, turned off, or not applicable. */
  featureCache: FeatureCacheStatus;
  /** Spent reading or building the feature caches, before training (not in `seconds`). */
  feature_cache_seconds: number;
}

export { strategyArgs } from './train-stage.js';

export async function runTrainStep(o: TrainStep, env: StepEnv): Promise<TrainStepResult> {
  const lr = o.lr ?? defaultLr(o.optimizer);
  if (o.val && o.valSplit > 0) throw new InputError('--val-split: give either --val DIR or --val-split F, not both');
  checkFeatureCacheOptions(o);
  if (o.nesterov && o.optimizer !== 'sgd') throw new InputError(`--nesterov: Nesterov momentum is SGD's; add --optimizer sgd (the optimizer is ${o.optimizer})`);
  const { keep, monitor, patience } = keepPlan(o, Boolean(o.val) || o.valSplit > 0);
  // The output rule is settled before anything is loaded or trained, so a refused --out costs nothing.
  const modelJson = await locateModel(o.model, env.log);
  for (const folder of [o.data, ...(o.val ? [o.val] : [])]) await recoverBeside(folder, env.log);
  const inputs = [
    { flag: '--model', path: dirname(modelJson) },
    { flag: '--data', path: o.data },
    ...(o.val ? [{ flag: '--val', path: o.val }] : []),
    { flag: 'the shipped models in', path: PRETRAINED_DIR },
  ];
  const rules: OutputRules = { kind: 'model', overwrite: o.overwrite, inputs, log: env.log };
  const out = await checkOutput(o.out, rules);
  const home = calibraHome();
  const resumed = o.resume === undefined ? null : await requireCheckpoint(home, o.resume, env.log);
  const backend = await env.engine();
  const parent = await loadModel(modelJson, { trustWeights: o.trustWeights, log: env.log });
  const parentManifest = withPreprocess(parent.manifest, o.preprocess);
  env.log(manifestPreprocessingNote(parentManifest));
  const dataSet = await openLabelledFolder(o.data, '--data');
  requireTrainable(dataSet);
  for (const w of dataSet.warnings) env.emit({ type: 'RunWarning', message: `--data: ${w}` });
  const split = o.valSplit > 0 ? stratifiedSplit(dataSet, { valFraction: o.valSplit, seed: o.seed }) : null;
  const trainSet = split?.train ?? dataSet;
  const valSet = split?.val ?? (o.val ? await openLabelledFolder(o.val, '--val') : undefined);
  // A split's held-out part carries no scan notes of its own, so its note is null.
  for (const note of [ignoredNote(trainSet, '--data'), valSet ? ignoredNote(valSet, '--val') : null]) if (note) env.log(note);
  if (split) env.emit({ type: 'ValidationSplit', held: split.val.items.length, of: dataSet.items.length, share: o.valSplit, seed: o.seed });

  const dataClasses = trainSet.classNames.filter((_, i) => trainSet.items.some((it) => it.label === i));
  const head = await chooseHead(parent.model, parentManifest, dataClasses, o);
  if (head.created) env.emit({ type: 'HeadCreated', ...head.created });
  const { model } = head;
  const groups = modelGroups(model);
  const imagesPerEpoch = trainSet.items.length;
  const stepsPerEpoch = Math.ceil(imagesPerEpoch / (o.batch * o.accum));
  const stages = stagePlans(o, lr, stepsPerEpoch);
  for (const stage of stages) {
    const freeze = parseFreezeSpec(stage.freeze)!;
    if (freeze.kind === 'last' && freeze.groups > groups.length) {
      throw new InputError(`${stage.where} ${stage.freeze}: the model has ${groups.length} layer groups (${groups.map((g) => g.name).join(', ')}), so N is at most ${groups.length}`);
    }
  }
  // What training reads of the manifest: the parent's, answering in the head's classes. The
  // saved manifest is made from it when the run ends.
  const manifest: Manifest = { ...parentManifest, classes: head.classes, output: head.output };
  const feed = feedFor(trainSet, manifest.classes, manifest, { batchSize: o.batch, shuffle: o.shuffle, augment: o.augment, seed: o.seed });
  const valFeed = valSet ? feedFor(valSet, manifest.classes, manifest, { batchSize: 64, shuffle: false, augment: false, seed: 0 }, '--val') : undefined;
  await requireReadable(feed, split ? `--data ${o.data} (less the --val-split share)` : `--data ${o.data}`);
  if (valFeed) await requireReadable(valFeed, split ? `--val-split ${o.valSplit} (held out from ${o.data})` : `--val ${o.val}`);
  const kept = optionsToKeep(o, modelJson, out);
  if (resumed) checkResume(resumed, { options: kept, parentHash: parent.manifest.contentHash, dataset: feed.hash });
  // The same options make the same stages, so the checkpoint's stage is one of them.
  const firstStage = resumed?.stage.index ?? 0;
  const stageState = new StageStarter(model, groups, manifest, trainSet, o, env);
  for (const stage of stages.slice(0, firstStage)) stageState.passed(stage);
  const stageLabel = (i: number) => (stages.length > 1 ? i + 1 : null);
  const first = await stageState.begin(stages[firstStage]!, stageLabel(firstStage), resumed !== null);
  const valHistory: { epoch: number; accuracy: number; loss: number; n: number }[] = [...(resumed?.valHistory ?? [])];
  for (const bad of resumed?.skipped ?? []) feed.badFiles.add(bad.path, bad.reason);
  const cached = await planFeatureCache({ o, stages: stages.length, model, manifest, feed, valFeed, home, env });
  const featureCache = typeof cached === 'string' ? cached : cached.status;
  const cachedRun = typeof cached === 'string' ? null : cached;
  const config = { ...o, lr, keep, monitor, out, data: resolve(o.data), val: o.val ? resolve(o.val) : split ? `${o.valSplit} of data` : null, parent: parent.manifest.contentHash, newHead: head.newHead };
  const epochs = stages.reduce((sum, s) => sum + s.epochs, 0);
  const runId = env.runId ?? newRunId();
  const checkpoints = checkpointDir(home, runId);
  if (resumed) {
    restoreTensors(model, first.optimizer, resumed, checkpointDir(home, resumed.runId));
    env.log(`resuming run ${o.resume} at ${describePosition(stagedPosition(resumed), stages.length)}`);
  }
  let saved: StagedPosition | null = null;
  const checkpoint = async (position: StagedPosition, optimizer: StepOptimizer) => {
    const keeping = keeper.checkpointState();
    const meta = {
      runId, options: kept, parent: { model: modelJson, contentHash: parent.manifest.contentHash }, dataset: feed.hash,
      stage: { index: position.stage, before: position.before }, at: position.at, valHistory, skipped: feed.badFiles.list(), monitor: valFeed ? keeping.monitor : null,
    };
    await writeCheckpoint(checkpoints, meta, await captureTensors(model, optimizer, keeping.best));
    saved = position;
  };
  env.emit({ type: 'RunStarted', command: 'train', backend: backend.name, config, totalSteps: o.steps ?? stepsPerEpoch * epochs, totalImages: imagesPerEpoch * epochs });
  const keeper = new EpochKeeper(model, new EpochMonitor(monitor ?? 'val_accuracy', patience ?? undefined), keep);
  if (resumed?.monitor) keeper.resume(resumed.monitor, bestTensors(resumed));
  // The monitored loss is the plain cross-entropy whatever the training objective, so epochs
  // compare on what the saved model will be judged by.
  const valLoss = crossEntropyLoss(manifest.classes.length, manifest.output);
  const plans: StagePlan[] = stages.map((stage, i) => ({
    epochs: stage.epochs,
    begin: i === firstStage ? async () => first : () => stageState.begin(stage, stageLabel(i)),
  }));
  const summary = await runStages(plans, {
    model: cachedRun?.head ?? model, manifest, source: cachedRun?.source ?? feed.source, input: cachedRun?.input, imagesPerEpoch, batchSize: o.batch, accum: o.accum, bnAccum: o.bnAccum, maxSteps: o.steps,
    loss: crossEntropyLoss(manifest.classes.length, manifest.output, o.labelSmoothing), emit: env.emit, signal: env.signal,
    resume: resumed ? stagedPosition(resumed) : undefined, checkpoint, checkpointEvery: o.checkpointEvery,
    afterEpoch: valFeed ? async (epoch) => {
      const r = cachedRun?.valSource
        ? await evaluate(cachedRun.head, manifest, cachedRun.valSource(0), valFeed.items.length, undefined, valLoss, { input: cachedRun.input })
        : await evaluate(model, manifest, valFeed.source(0), valFeed.items.length, undefined, valLoss);
      valHistory.push({ epoch, accuracy: r.accuracy, loss: r.loss!, n: r.n });
      env.emit({ type: 'ValidationEnded', epoch, accuracy: r.accuracy, n: r.n, loss: r.loss! });
      return keeper.observe(epoch, { accuracy: r.accuracy, loss: r.loss! });
    } : undefined,
  }).catch((err: unknown) => {
    keeper.dispose();
    if (!(err instanceof HeapExhaustedError)) throw err;
    const smaller = Math.max(1, Math.floor(o.batch / 2));
    throw new RunError(`${err.message} at --batch ${o.batch}. Use --batch ${smaller} --accum ${Math.ceil((o.batch * o.accum) / smaller)} to keep ${o.batch * o.accum} images per step in less memory`);
  });
  if (env.signal?.aborted) {
    if (saved !== null) env.log(`checkpoint at ${describePosition(saved, stages.length)}: 'calibra runs resume ${runId}' continues the run`);
    keeper.dispose();
    env.signal.throwIfAborted();
  }
  const { keptEpoch, best } = keeper.finish(summary.epochs);
  if (summary.stoppedEarly) env.log(`--patience ${patience}: no better ${monitor} for ${patience} epoch(s) since epoch ${best!.epoch}; stopped after epoch ${summary.epochs} of ${epochs}`);
  if (keptEpoch !== summary.epochs) env.log(`--keep best: saving epoch ${keptEpoch} (${monitor} ${best!.value.toFixed(4)}), not the last epoch run (${summary.epochs})`);
  const keptPoint = valHistory.find((v) => v.epoch === keptEpoch);
  const strategy = stageState.last!;
  const checkSet = valSet ?? trainSet;
  const checkFeed = feedFor(checkSet, manifest.classes, manifest, { batchSize: 64, shuffle: true, augment: false, seed: BN_CHECK_SEED }, valSet ? '--val' : '--data');
  const check = await bnCheck(model, manifest, { batches: () => checkFeed.source(0), total: checkFeed.items.length, batch: 64, modelRef: out, imagesRef: checkSet.root });
  if (check?.advice) env.log(`warning: ${check.advice}`);
  const skipped = [...feed.badFiles.list(), ...(valFeed?.badFiles.list() ?? [])];
  if (skipped.length > 0) env.emit({ type: 'DataSkipped', files: skipped });

  const savedModel = await saveModel(model, madeManifest(model, manifest, {
    out,
    description: `${parent.manifest.id} fine-tuned on ${resolve(o.data)}`,
    recipe: {
      command: 'train', ...config, backend: backend.name,
      result: {
        steps: summary.steps, epochs: summary.epochs, stoppedEarly: summary.stoppedEarly, loss: summary.loss, trainAccuracy: summary.trainAccuracy, val: valHistory,
        kept: { epoch: keptEpoch, monitor, value: best && keep === 'best' ? best.value : null },
      },
    },
    bnStatistics: stageState.movedStatistics ? `fine-tune:${feed.hash}` : parent.manifest.bnStatistics,
    dataset: feed.hash,
  }), out, rules);
  // A finished run is never resumed, so its checkpoint has served.
  await rm(checkpoints, { recursive: true, force: true });
  env.emit({ type: 'CheckpointSaved', path: out, contentHash: savedModel.contentHash });
  model.dispose();
  return {
    backend: backend.name, images_per_second: Number(summary.imagesPerSecond.toFixed(2)), steps: summary.steps, images: summary.images,
    seconds: Number(summary.seconds.toFixed(2)), loss: summary.loss, train_accuracy: summary.trainAccuracy,
    val_accuracy: keptPoint?.accuracy ?? null, val_loss: keptPoint?.loss ?? null, val_n: keptPoint?.n ?? null,
    keep, monitor, kept_epoch: keptEpoch, best_epoch: best?.epoch ?? null, best_val_accuracy: best?.accuracy ?? null, best_val_loss: best?.loss ?? null,
    epochs_run: summary.epochs, stopped_early: summary.stoppedEarly,
    out, contentHash: savedModel.contentHash,
    classes: manifest.classes, trainable_groups: strategy.trainableGroups, trainable_params: strategy.trainableParams, dataset: feed.hash, skipped,
    ignored: mergeIgnored(trainSet.ignored, valSet?.ignored ?? NOTHING_IGNORED),
    bnCheck: check,
    featureCache, feature_cache_seconds: Number((cachedRun?.seconds ?? 0).toFixed(2)),
  };
}
