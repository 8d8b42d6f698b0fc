import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { tf } from '../../engine/tf.js';
import { InputError, RunError } from '../../errors.js';
import { HeapExhaustedError } from '../../engine/heap-guard.js';
import { loadModel, locateModel, modelGroups, saveModel, countBatchNorm } from '../../models/model-io.js';
import { PRETRAINED_DIR } from '../../models/zoo.js';
import { checkOutput, type OutputRules } from '../../util/output-guard.js';
import { recoverBeside } from '../../util/interrupted-writes.js';
import { defaultCut, headFromClassifier, replaceHead } from '../../models/head.js';
import { readClassMap, resolveClassMap } from '../../models/class-map.js';
import { manifestPreprocessingNote, withPreprocess } from '../../models/preprocessing.js';
import { parseFreezeSpec } from '../../models/groups.js';
import type { Manifest } from '../../models/manifest.js';
import { requireTrainable, stratifiedSplit } from '../../data/dataset.js';
import { feedFor, ignoredNote, openLabelledFolder, requireReadable } from '../../train/data-feed.js';
import { NOTHING_IGNORED, mergeIgnored, type IgnoredSummary } from '../../data/ignored-files.js';
import { evaluate } from '../../train/evaluate.js';
import { crossEntropyLoss } from '../../train/loss.js';
import { runStages, type StagePlan } from '../../train/staged-run.js';
import { EpochMonitor, type Monitor } from '../../train/epoch-monitor.js';
import { EpochKeeper, type KeepMode } from '../../train/keep-best.js';
import { bnCheck, BN_CHECK_SEED, type BnCheck } from '../../train/bn-check.js';
import { bestTensors, captureTensors, checkpointDir, restoreTensors, writeCheckpoint } from '../../train/checkpoint.js';
import type { LoopPosition } from '../../train/trainer.js';
import { calibraHome } from '../../store/run-store.js';
import { newRunId } from '../../store/run-id.js';
import { checkResume, optionsToKeep, requireCheckpoint } from './train-resume.js';
import type { TrainStep } from '../schema.js';
import type { StepEnv } from '../step-env.js';
import { defaultLr, keepPlan, stagePlans } from './train-recipe.js';
import { StageStarter } from './train-stage.js';

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
}

export { strategyArgs } from './train-stage.js';

export async function runTrainStep(o: TrainStep, env: StepEnv): Promise<TrainStepResult> {
  const lr = o.lr ?? defaultLr(o.optimizer);
  if (o.val && o.valSplit > 0) throw new InputError('--val-split: give either --val DIR or --val-split F, not both');
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
  for (const w of dataSet.warnings) env.log(`warning: --data: ${w}`);
  const split = o.valSplit > 0 ? stratifiedSplit(dataSet, { valFraction: o.valSplit, seed: o.seed }) : null;
  const trainSet = split?.train ?? dataSet;
  const valSet = split?.val ?? (o.val ? await openLabelledFolder(o.val, '--val') : undefined);
  // A split's held-out part carries no scan notes of its own, so its note is null.
  for (const note of [ignoredNote(trainSet, '--data'), valSet ? ignoredNote(valSet, '--val') : null]) if (note) env.log(note);
  if (split) env.log(`holding out ${split.val.items.length} of ${dataSet.items.length} images of --data for validation (seed ${o.seed})`);

  const dataClasses = trainSet.classNames.filter((_, i) => trainSet.items.some((it) => it.label === i));
  const model = await headFor(parent.model, parentManifest, dataClasses, o, env.log);
  const keepsHead = model === parent.model;
  const groups = modelGroups(model);
  const imagesPerEpoch = trainSet.items.length;
  const stepsPerEpoch = Math.ceil(imagesPerEpoch / (o.batch * o.accum));
  const stages = stagePlans(o, lr, stepsPerEpoch);
  // A checkpoint holds one optimizer and one loop position; a staged run has one of each per stage.
  const checkpointed = stages.length === 1;
  if (!checkpointed && (o.checkpointEvery !== undefined || resumed)) throw new InputError('stages: a run in stages is not checkpointed, so it cannot take --checkpoint-every or be resumed');
  for (const stage of stages) {
    const freeze = parseFreezeSpec(stage.freeze)!;
    if (freeze.kind === 'last' && freeze.groups > groups.length) {
      throw new InputError(`${stage.where} ${stage.freeze}: the model has ${groups.length} layer groups (${groups.map((g) => g.name).join(', ')}), so N is at most ${groups.length}`);
    }
  }
  const manifest: Manifest = {
    ...parentManifest,
    // The saved manifest is itself the source of the preprocessing from now on.
    preprocessingSource: undefined,
    resizeSource: undefined,
    classes: keepsHead ? parent.manifest.classes : dataClasses,
    output: keepsHead ? parent.manifest.output : 'logits',
    groups,
    bnLayers: countBatchNorm(model),
  };
  const stageState = new StageStarter(model, groups, manifest, trainSet, o, env);
  const first = await stageState.begin(stages[0]!, stages.length > 1 ? 1 : null);

  const feed = feedFor(trainSet, manifest.classes, manifest, { batchSize: o.batch, shuffle: o.shuffle, augment: o.augment, seed: o.seed });
  const valFeed = valSet ? feedFor(valSet, manifest.classes, manifest, { batchSize: 64, shuffle: false, augment: false, seed: 0 }, '--val') : undefined;
  await requireReadable(feed, split ? `--data ${o.data} (less the --val-split share)` : `--data ${o.data}`);
  if (valFeed) await requireReadable(valFeed, split ? `--val-split ${o.valSplit} (held out from ${o.data})` : `--val ${o.val}`);
  const kept = optionsToKeep(o, modelJson, out);
  if (resumed) checkResume(resumed, { options: kept, parentHash: parent.manifest.contentHash, dataset: feed.hash });
  const valHistory: { epoch: number; accuracy: number; loss: number; n: number }[] = [...(resumed?.valHistory ?? [])];
  for (const bad of resumed?.skipped ?? []) feed.badFiles.add(bad.path, bad.reason);
  const config = { ...o, lr, keep, monitor, out, data: resolve(o.data), val: o.val ? resolve(o.val) : split ? `${o.valSplit} of data` : null, parent: parent.manifest.contentHash, newHead: !keepsHead };
  const epochs = stages.reduce((sum, s) => sum + s.epochs, 0);
  const runId = env.runId ?? newRunId();
  const checkpoints = checkpointDir(home, runId);
  if (resumed) {
    restoreTensors(model, first.optimizer, resumed, checkpointDir(home, resumed.runId));
    env.log(`resuming run ${o.resume} at epoch ${resumed.at.epoch}, after optimizer step ${resumed.at.steps}`);
  }
  let saved: LoopPosition | null = null;
  const checkpoint = async (at: LoopPosition) => {
    const keeping = keeper.checkpointState();
    const meta = { runId, options: kept, parent: { model: modelJson, contentHash: parent.manifest.contentHash }, dataset: feed.hash, at, valHistory, skipped: feed.badFiles.list(), monitor: valFeed ? keeping.monitor : null };
    await writeCheckpoint(checkpoints, meta, await captureTensors(model, first.optimizer, keeping.best));
    saved = at;
  };
  env.emit({ type: 'RunStarted', command: 'train', backend: backend.name, config, totalSteps: o.steps ?? stepsPerEpoch * epochs, totalImages: imagesPerEpoch * epochs });
  const keeper = new EpochKeeper(model, new EpochMonitor(monitor ?? 'val_accuracy', patience ?? undefined), keep);
  if (resumed?.monitor) keeper.resume(resumed.monitor, bestTensors(resumed));
  // The monitored loss is the plain cross-entropy whatever the training objective, so epochs
  // compare on what the saved model will be judged by.
  const valLoss = crossEntropyLoss(manifest.classes.length, manifest.output);
  const plans: StagePlan[] = stages.map((stage, i) => ({
    epochs: stage.epochs,
    begin: i === 0 ? async () => first : () => stageState.begin(stage, i + 1),
  }));
  const summary = await runStages(plans, {
    model, manifest, source: feed.source, imagesPerEpoch, batchSize: o.batch, accum: o.accum, bnAccum: o.bnAccum, maxSteps: o.steps,
    loss: crossEntropyLoss(manifest.classes.length, manifest.output, o.labelSmoothing), emit: env.emit, signal: env.signal,
    ...(checkpointed ? { resume: resumed?.at, checkpoint, checkpointEvery: o.checkpointEvery } : {}),
    afterEpoch: valFeed ? async (epoch) => {
      const r = await evaluate(model, manifest, valFeed.source(0), valFeed.items.length, undefined, valLoss);
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
    if (saved !== null) {
      const at: LoopPosition = saved;
      env.log(`checkpoint at epoch ${at.epoch}, optimizer step ${at.steps}: 'calibra runs resume ${runId}' continues the run`);
    }
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

  const savedModel = await saveModel(model, {
    ...manifest,
    id: out.split('/').filter(Boolean).pop() ?? 'model',
    description: `${parent.manifest.id} fine-tuned on ${resolve(o.data)}`,
    recipe: {
      command: 'train', ...config, backend: backend.name,
      result: {
        steps: summary.steps, epochs: summary.epochs, stoppedEarly: summary.stoppedEarly, loss: summary.loss, trainAccuracy: summary.trainAccuracy, val: valHistory,
        kept: { epoch: keptEpoch, monitor, value: best && keep === 'best' ? best.value : null },
      },
    },
    bnStatistics: stageState.movedStatistics ? `fine-tune:${feed.hash}` : parent.manifest.bnStatistics,
    lineage: { parent: parent.manifest.contentHash, dataset: feed.hash },
  }, out, rules);
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
  };
}

/**
 * The model to train: the loaded one when its head already knows the data's classes; a head
 * started from the old classifier's rows with a class map; else a fresh head at --cut.
 */
async function headFor(model: tf.LayersModel, manifest: Manifest, dataClasses: string[], o: TrainStep, log: (line: string) => void): Promise<tf.LayersModel> {
  const list = (cs: readonly string[]) => `${cs.slice(0, 8).join(', ')}${cs.length > 8 ? ', …' : ''}`;
  if (o.classMap !== undefined) {
    if (o.cut !== undefined) throw new InputError('--class-map: the new head reads what the old classifier read; drop --cut');
    const mapping = resolveClassMap(await readClassMap(o.classMap), manifest.classes);
    const stray = mapping.find((m) => !dataClasses.includes(m.newClass));
    if (stray) throw new InputError(`--class-map: '${stray.newClass}' is not a class folder of --data (${list(dataClasses)})`);
    const fresh = dataClasses.filter((c) => !mapping.some((m) => m.newClass === c));
    log(`new head: ${dataClasses.length} classes from the classifier's rows ${mapping.map((m) => `${m.newClass}←${m.oldClass}`).join(', ')}${fresh.length ? `; fresh: ${list(fresh)}` : ''}`);
    return headFromClassifier(model, dataClasses, mapping, o.seed);
  }
  if (o.cut === undefined && dataClasses.every((c) => manifest.classes.includes(c))) return model;
  log(`new head: ${dataClasses.length} classes (${list(dataClasses)}) after '${o.cut ?? defaultCut(model)}'`);
  return replaceHead(model, dataClasses.length, o.cut, o.seed);
}

