import { abortable } from '../../train/batch-source.js';
import { evaluate, type Misclassified } from '../../train/evaluate.js';
import type { Confusion } from '../../train/confusion.js';
import type { ClassScores } from '../../train/metrics.js';
import { feedFor, ignoredNote, openLabelledFolder, requireReadable } from '../../train/data-feed.js';
import type { IgnoredSummary } from '../../data/ignored-files.js';
import { bnCheck, BN_CHECK_SEED, type BnCheck } from '../../train/bn-check.js';
import { loadModel } from '../../models/model-io.js';
import { restrictToClassMap } from '../../models/head.js';
import { manifestPreprocessingNote, withPreprocess } from '../../models/preprocessing.js';
import { recoverBeside } from '../../util/interrupted-writes.js';
import type { EvalStep } from '../schema.js';
import type { StepEnv } from '../step-env.js';

export interface EvalStepResult {
  accuracy: number;
  n: number;
  /** Per class present in the data: accuracy (= recall), n, precision, recall, f1. */
  perClass: Record<string, ClassScores>;
  confusion: Confusion;
  /** With `errors`: the images the model got wrong. */
  errors?: Misclassified[];
  backend: string;
  images_per_second: number;
  tta: 'none' | 'flip';
  model: string;
  modelHash: string;
  dataset: string;
  skipped: { path: string; reason: string }[];
  ignored: IgnoredSummary;
  /** With `bnCheck`: null for a model without BN layers. */
  bnCheck?: BnCheck | null;
}

export async function runEvalStep(options: EvalStep, env: StepEnv): Promise<EvalStepResult> {
  const backend = await env.engine();
  const loaded = await loadModel(options.model, { trustWeights: options.trustWeights, log: env.log });
  await recoverBeside(options.data, env.log);
  const { model, manifest } = await restrictToClassMap(loaded.model, withPreprocess(loaded.manifest, options.preprocess), options.classMap);
  env.log(manifestPreprocessingNote(manifest));
  const dataset = await openLabelledFolder(options.data, '--data');
  for (const w of dataset.warnings) env.emit({ type: 'RunWarning', message: `--data: ${w}` });
  const note = ignoredNote(dataset, '--data');
  if (note) env.log(note);
  const feed = feedFor(dataset, manifest.classes, manifest, { batchSize: options.batch, shuffle: false, augment: false, seed: 0 });
  await requireReadable(feed, `--data ${options.data}`);
  env.emit({ type: 'RunStarted', command: 'eval', backend: backend.name, config: { ...options, parent: manifest.contentHash }, totalSteps: 0, totalImages: feed.items.length });
  const tta = options.tta ?? 'none';
  if (tta === 'flip') env.log('test-time augmentation: each image scored by the mean of its and its mirror\'s probabilities');
  const result = await evaluate(model, manifest, abortable(feed.source(0), env.signal), feed.items.length, env.emit, undefined, { tta });
  const checkFeed = options.bnCheck ? feedFor(dataset, manifest.classes, manifest, { batchSize: options.batch, shuffle: true, augment: false, seed: BN_CHECK_SEED }) : null;
  const check = checkFeed ? await bnCheck(model, manifest, { batches: () => checkFeed.source(0), total: checkFeed.items.length, batch: options.batch, modelRef: options.model, imagesRef: options.data }) : undefined;
  if (check?.advice) env.log(`warning: ${check.advice}`);
  const skipped = feed.badFiles.list();
  if (skipped.length > 0) env.emit({ type: 'DataSkipped', files: skipped });
  model.dispose();
  return {
    accuracy: result.accuracy, n: result.n, perClass: result.perClass, confusion: result.confusion,
    ...(options.errors ? { errors: result.misclassified } : {}), backend: backend.name,
    images_per_second: Number(result.imagesPerSecond.toFixed(2)), tta, model: manifest.id, modelHash: manifest.contentHash, dataset: feed.hash, skipped, ignored: dataset.ignored,
    ...(check === undefined ? {} : { bnCheck: check }),
  };
}
