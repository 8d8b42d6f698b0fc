import { dirname, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { adaBn } from '../../bn/adabn.js';
import { imageSource } from '../../bn/input-source.js';
import { batchNormsInGroups } from '../../bn/select.js';
import { BadFileReport } from '../../data/bad-files.js';
import { imageFolderHash } from '../../data/image-folder-hash.js';
import { listImageFiles } from '../../data/image-files.js';
import { loadModel, resolveModelJson, saveModel } from '../../models/model-io.js';
import { madeManifest, modelGroups } from '../../models/manifest-builder.js';
import { manifestPreprocessingNote, withPreprocess } from '../../models/preprocessing.js';
import { checkOutput } from '../../util/output-guard.js';
import type { RecalibrateStep } from '../schema.js';
import type { StepEnv } from '../step-env.js';

export interface RecalibrateStepResult {
  images: number;
  skipped: { path: string; reason: string }[];
  mode: 'exact' | 'fast';
  /** BN layers whose statistics were replaced. */
  layers: number;
  groups: string[];
  backend: string;
  seconds: number;
  images_per_second: number;
  /** Layer calls per image over one forward pass's: what exact mode cost against fast. */
  forward_passes: number;
  out: string;
  contentHash: string;
  dataset: string;
}

/** Lists the images of `--images`, refusing a folder with none or fewer than the floor. */
export async function recalibrationImages(dir: string, minImages: number): Promise<string[]> {
  const files = await listImageFiles(dir).catch((err: unknown) => {
    throw err instanceof InputError ? new InputError(`--images: ${err.message}`) : err;
  });
  if (files.length === 0) throw new InputError(`--images ${dir}: no images (looked for .jpg, .png, .webp, .gif, .tif, flat or nested)`);
  requireEnough(dir, files.length, minImages, 'holds');
  return files;
}

function requireEnough(dir: string, n: number, minImages: number, verb: string): void {
  if (n === 0) throw new InputError(`--images ${dir}: none of its images could be read`);
  if (n < minImages) {
    throw new InputError(`--images ${dir}: ${verb} ${n} image(s), fewer than the ${minImages} AdaBN needs for stable per-channel statistics; --min-images ${n} lowers the floor`);
  }
}

export async function runRecalibrateStep(o: RecalibrateStep, env: StepEnv): Promise<RecalibrateStepResult> {
  const modelDir = dirname(await resolveModelJson(o.model));
  const out = await checkOutput(o.out, { kind: 'model', overwrite: o.overwrite, inputs: [{ flag: '--model', path: modelDir }, { flag: '--images', path: o.images }] });
  const files = await recalibrationImages(o.images, o.minImages);
  const backend = await env.engine();
  const parent = await loadModel(o.model, { trustWeights: o.trustWeights, log: env.log });
  const manifest = withPreprocess(parent.manifest, o.preprocess);
  env.log(manifestPreprocessingNote(manifest));
  const groups = modelGroups(parent.model);
  const layers = batchNormsInGroups(parent.model, groups, o.groups);
  const chosenGroups = o.groups ?? groups.map((g) => g.name);
  const hash = await imageFolderHash(resolve(o.images), files);
  const badFiles = new BadFileReport();
  const config = { ...o, images: resolve(o.images), out, parent: parent.manifest.contentHash, dataset: hash };
  env.emit({ type: 'RunStarted', command: 'recalibrate', backend: backend.name, config, totalSteps: 0, totalImages: files.length });
  const start = performance.now();
  const result = await adaBn({
    model: parent.model, layers, mode: o.mode, expectedImages: files.length,
    source: imageSource({ files, manifest, batchSize: o.batch, badFiles, signal: env.signal }),
    onProgress: ({ seconds, ...p }) => env.emit({ type: 'RecalibrationProgress', mode: o.mode, ...p, imagesPerSecond: p.imagesDone / Math.max(seconds, 1e-9) }),
  });
  const seconds = (performance.now() - start) / 1000;
  const skipped = badFiles.list();
  if (skipped.length > 0) env.emit({ type: 'DataSkipped', files: skipped });
  requireEnough(o.images, result.images, o.minImages, 'has readable');

  const saved = await saveModel(parent.model, madeManifest(parent.model, manifest, {
    out,
    description: `${parent.manifest.id} with BN statistics recalibrated (AdaBN ${o.mode}) on ${resolve(o.images)}`,
    recipe: {
      command: 'recalibrate', method: 'adabn', mode: o.mode, images: result.images, skipped: skipped.length, batch: o.batch,
      groups: chosenGroups, layers: result.layers.length, imageFolder: resolve(o.images), imageFolderHash: hash,
      variance: 'unbiased (count - 1), as training stores it', backend: backend.name, parentRecipe: parent.manifest.recipe,
    },
    bnStatistics: `adabn-${o.mode}:${hash}`,
    dataset: hash,
  }), out);
  env.emit({ type: 'CheckpointSaved', path: out, contentHash: saved.contentHash });
  parent.model.dispose();
  return {
    images: result.images, skipped, mode: o.mode, layers: result.layers.length, groups: chosenGroups, backend: backend.name,
    seconds: Number(seconds.toFixed(2)), images_per_second: Number((result.images / Math.max(seconds, 1e-9)).toFixed(2)),
    forward_passes: Number(result.forwardPasses.toFixed(3)), out, contentHash: saved.contentHash, dataset: hash,
  };
}
