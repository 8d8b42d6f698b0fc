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
import { applyStrategy, type StrategyArgs } from '../../train/strategy.js';
import { trainLoop } from '../../train/trainer.js';
import { optimizerFor } from '../../train/optimizers.js';
import { constantLr } from '../../train/schedule.js';
import { evaluate } from '../../train/evaluate.js';
import { adaBn } from '../../bn/adabn.js';
import { isBatchNorm } from '../../bn/batch-norm-layer.js';
import { imageSource } from '../../bn/input-source.js';
import { BadFileReport } from '../../data/bad-files.js';
import { leafLayers } from '../../models/layer-walk.js';
import { bnCheck, BN_CHECK_SEED, type BnCheck } from '../../train/bn-check.js';
import { captureTensors, checkpointDir, restoreTensors, writeCheckpoint, type ValidationPoint } from '../../train/checkpoint.js';
import type { LoopPosition } from '../../train/trainer.js';
import { calibraHome } from '../../store/run-store.js';
import { newRunId } from '../../store/run-id.js';
import { checkResume, optionsToKeep, requireCheckpoint } from './train-resume.js';
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
  /** Entries of --data and --val passed over by name (not images, or hidden). */
  ignored: IgnoredSummary;
  /** After training, on --val (else on --data, unaugmented): batch against moving BN statistics. */
  bnCheck: BnCheck | null;
}

/** Below this many images per pass, batch statistics are noisy enough to warn about. */
const SMALL_BN_BATCH = 16;

/** The step's fields that say what trains and what BN does. */
export function strategyArgs(o: TrainStep): StrategyArgs {
  return { freeze: parseFreezeSpec(o.freeze)!, bnStats: o.bnStats, bnAffine: o.bnAffine, bnMomentum: o.bnMomentum, bnEpsilon: o.bnEps, bn: o.bn };
}

export async function runTrainStep(o: TrainStep, env: StepEnv): Promise<TrainStepResult> {
  const lr = o.lr ?? (o.optimizer === 'adam' ? 1e-3 : 1e-2);
  if (o.val && o.valSplit > 0) throw new InputError('--val-split: give either --val DIR or --val-split F, not both');
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
  const freeze = parseFreezeSpec(o.freeze)!;
  if (freeze.kind === 'last' && freeze.groups > groups.length) {
    throw new InputError(`--freeze ${o.freeze}: the model has ${groups.length} layer groups (${groups.map((g) => g.name).join(', ')}), so N is at most ${groups.length}`);
  }
  const manifest: Manifest = {
    ...parentManifest,
    // The saved manifest is itself the source of the preprocessing from now on.
    preprocessingSource: undefined,
    classes: keepsHead ? parent.manifest.classes : dataClasses,
    output: keepsHead ? parent.manifest.output : 'logits',
    groups,
    bnLayers: countBatchNorm(model),
  };
  const strategy = applyStrategy(model, groups, strategyArgs(o));
  if (strategy.variables.length === 0) throw new InputError(`--freeze ${o.freeze}: leaves nothing to train`);
  env.log(`training groups ${strategy.trainableGroups.join(', ')}: ${strategy.trainableParams} of ${strategy.totalParams} parameters`);

  // A resumed run's BN statistics come with the checkpoint's weights.
  if (strategy.resetLayers.length > 0 && resumed === null) {
    // BN layers set to `reset` start from the training images' own statistics (AdaBN exact,
    // unaugmented), then move by momentum as under `update`.
    const resetting = leafLayers(model).filter(isBatchNorm).filter((l) => strategy.resetLayers.includes(l.name));
    const files = trainSet.items.map((it) => it.path);
    const r = await adaBn({ model, layers: resetting, mode: 'exact', expectedImages: files.length, source: imageSource({ files, manifest, batchSize: o.batch, badFiles: new BadFileReport() }) });
    env.log(`--bn-stats reset: re-estimated ${r.layers.length} BN layer(s) on ${r.images} training images (AdaBN exact)`);
  }
  const bnUpdating = strategy.batchNormUpdating;
  if (o.accum > 1 && bnUpdating > 0 && o.batch < SMALL_BN_BATCH) {
    const averages = o.bnAccum === 'merged' ? 'the averages move once per step with the merged statistics' : '--bn-accum merged moves the averages once per step as one batch would';
    const message = `--accum ${o.accum} with --bn-stats update: ${bnUpdating} BN layer(s) normalise each pass of ${o.batch} images with that pass's own statistics (noisy below ${SMALL_BN_BATCH}), so a step is not the same as one batch of ${o.batch * o.accum} (${averages}); --bn-stats freeze makes it exact`;
    env.log(`warning: ${message}`);
    env.emit({ type: 'RunWarning', message });
  }
  const feed = feedFor(trainSet, manifest.classes, manifest, { batchSize: o.batch, shuffle: o.shuffle, augment: o.augment, seed: o.seed });
  const valFeed = valSet ? feedFor(valSet, manifest.classes, manifest, { batchSize: 64, shuffle: false, augment: false, seed: 0 }, '--val') : undefined;
  await requireReadable(feed, split ? `--data ${o.data} (less the --val-split share)` : `--data ${o.data}`);
  if (valFeed) await requireReadable(valFeed, split ? `--val-split ${o.valSplit} (held out from ${o.data})` : `--val ${o.val}`);
  const kept = optionsToKeep(o, modelJson, out);
  if (resumed) checkResume(resumed, { options: kept, parentHash: parent.manifest.contentHash, dataset: feed.hash });
  const valHistory: ValidationPoint[] = [...(resumed?.valHistory ?? [])];
  for (const bad of resumed?.skipped ?? []) feed.badFiles.add(bad.path, bad.reason);
  const config = { ...o, lr, out, data: resolve(o.data), val: o.val ? resolve(o.val) : split ? `${o.valSplit} of data` : null, parent: parent.manifest.contentHash, newHead: !keepsHead };
  const imagesPerEpoch = feed.items.length;
  const stepsPerEpoch = Math.ceil(imagesPerEpoch / (o.batch * o.accum));
  const epochs = o.steps ? Math.ceil(o.steps / stepsPerEpoch) : o.epochs;
  const runId = newRunId();
  const checkpoints = checkpointDir(home, runId);
  const optimizer = optimizerFor(o.optimizer, lr);
  if (resumed) {
    restoreTensors(model, optimizer, resumed, checkpointDir(home, resumed.runId));
    env.log(`resuming run ${o.resume} at epoch ${resumed.at.epoch}, after optimizer step ${resumed.at.steps}`);
  }
  let saved: LoopPosition | null = null;
  const checkpoint = async (at: LoopPosition) => {
    const meta = { runId, options: kept, parent: { model: modelJson, contentHash: parent.manifest.contentHash }, dataset: feed.hash, at, valHistory, skipped: feed.badFiles.list() };
    await writeCheckpoint(checkpoints, meta, await captureTensors(model, optimizer));
    saved = at;
  };
  env.emit({ type: 'RunStarted', command: 'train', runId, backend: backend.name, config, totalSteps: o.steps ?? stepsPerEpoch * epochs, totalImages: imagesPerEpoch * epochs });
  const summary = await trainLoop({
    model, manifest, variables: strategy.variables, optimizer, schedule: constantLr(lr),
    source: feed.source, imagesPerEpoch, batchSize: o.batch, accum: o.accum, bnAccum: o.bnAccum, epochs, maxSteps: o.steps, emit: env.emit, signal: env.signal,
    resume: resumed?.at, checkpoint, checkpointEvery: o.checkpointEvery,
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
  if (env.signal?.aborted && saved !== null) {
    const at: LoopPosition = saved;
    env.log(`checkpoint at epoch ${at.epoch}, optimizer step ${at.steps}: 'calibra runs resume ${runId}' continues the run`);
  }
  env.signal?.throwIfAborted();
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
    recipe: { command: 'train', ...config, backend: backend.name, result: { steps: summary.steps, loss: summary.loss, trainAccuracy: summary.trainAccuracy, val: valHistory } },
    bnStatistics: strategy.batchNormUpdating === 0 ? parent.manifest.bnStatistics : `fine-tune:${feed.hash}`,
    lineage: { parent: parent.manifest.contentHash, dataset: feed.hash },
  }, out, rules);
  // A finished run is never resumed, so its checkpoint has served.
  await rm(checkpoints, { recursive: true, force: true });
  env.emit({ type: 'CheckpointSaved', path: out, contentHash: savedModel.contentHash });
  model.dispose();
  const last = valHistory[valHistory.length - 1];
  return {
    backend: backend.name, images_per_second: Number(summary.imagesPerSecond.toFixed(2)), steps: summary.steps, images: summary.images,
    seconds: Number(summary.seconds.toFixed(2)), loss: summary.loss, train_accuracy: summary.trainAccuracy,
    val_accuracy: last?.accuracy ?? null, val_n: last?.n ?? null, out, contentHash: savedModel.contentHash,
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
    return headFromClassifier(model, dataClasses, mapping);
  }
  if (o.cut === undefined && dataClasses.every((c) => manifest.classes.includes(c))) return model;
  log(`new head: ${dataClasses.length} classes (${list(dataClasses)}) after '${o.cut ?? defaultCut(model)}'`);
  return replaceHead(model, dataClasses.length, o.cut);
}
