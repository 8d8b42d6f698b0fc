// The `recalibrate-exact` bench case on Calibra's side: what `calibra recalibrate --mode exact`
// times (adaBn over imageSource, every BN layer of the model), on a real model and folder.
// Decoding is done before the clock starts, here as for PyTorch, which gets the same pixels
// from exportRecalibrationPixels: the case compares the statistics pass, not the JPEG decoder.
// Loading the model, hashing the folder and saving the result are left out on both sides. The
// image source's per-pass work stays inside the clock, as in recalibrate (a stat per file for
// the decode cache's key, pixels to float, the manifest's scale and offset); PyTorch scales its
// pixels once, before its clock.
import { tf } from '../engine/tf.js';
import { adaBn, type AdaBnResult } from '../bn/adabn.js';
import { imageSource } from '../bn/input-source.js';
import { batchNormsInGroups } from '../bn/select.js';
import { BadFileReport } from '../data/bad-files.js';
import { listImageFiles } from '../data/image-files.js';
import { loadModel } from '../models/model-io.js';
import { modelGroups } from '../models/manifest-builder.js';
import type { Manifest } from '../models/manifest.js';
import { unlabelledFeed } from '../train/data-feed.js';
import type { BenchCase } from './cases.js';
import { decodeAll, writePixelFiles, type ExportedPixels } from './pixel-files.js';
import type { CaseTiming } from './run-case.js';

export interface RecalibrationJob {
  model: tf.LayersModel;
  manifest: Manifest;
  /** In the order recalibrate reads them. */
  files: string[];
  batch: number;
}

export async function prepareRecalibration(c: BenchCase): Promise<RecalibrationJob> {
  if (!c.recalibrate) throw new Error(`${c.name}: a recalibrate case names its model and images`);
  const { model, manifest } = await loadModel(c.recalibrate.model);
  const files = await listImageFiles(c.recalibrate.images);
  if (files.length === 0) throw new Error(`${c.name}: no images under ${c.recalibrate.images}`);
  return { model, manifest, files, batch: c.batch };
}

/** The job's images decoded as recalibrate decodes them, in its order, for the PyTorch side. */
export async function exportRecalibrationPixels(c: BenchCase): Promise<ExportedPixels> {
  const job = await prepareRecalibration(c);
  job.model.dispose();
  const feed = unlabelledFeed(job.files, job.manifest, { batchSize: job.batch, shuffle: false, seed: 0 });
  return writePixelFiles(await decodeAll(feed.source));
}

/**
 * One untimed pass of the image source (it decodes every file into the loader's cache) and one
 * untimed inference batch, then exact AdaBN of every BN layer, timed as recalibrate times it.
 */
export async function timedExactRecalibration(job: RecalibrationJob): Promise<{ result: AdaBnResult; seconds: number }> {
  const source = imageSource({ files: job.files, manifest: job.manifest, batchSize: job.batch, badFiles: new BadFileReport() });
  for await (const x of source()) x.dispose();
  const warm = tf.tidy(() => job.model.apply(tf.zeros([job.batch, ...job.manifest.inputShape]), { training: false }) as tf.Tensor);
  await warm.data();
  warm.dispose();
  const layers = batchNormsInGroups(job.model, modelGroups(job.model), undefined);
  const start = performance.now();
  const result = await adaBn({ model: job.model, layers, source, mode: 'exact', expectedImages: job.files.length });
  return { result, seconds: (performance.now() - start) / 1000 };
}

export async function runRecalibrateCase(c: BenchCase): Promise<CaseTiming> {
  const job = await prepareRecalibration(c);
  try {
    const { result, seconds } = await timedExactRecalibration(job);
    const batches = Math.ceil(result.images / job.batch);
    return { images_per_second: result.images / seconds, batch: job.batch, steps: batches, seconds, forward_passes: result.forwardPasses };
  } finally {
    job.model.dispose();
  }
}
