// The `cached-head` bench case on Calibra's side: a whole head-only fine-tune of a real model on
// a real folder, through the feature cache (key, build into a fresh store, write) and the one
// training loop. Decoding is done before the clock starts, here as for PyTorch, which gets the
// same pixels from exportPixels: the case compares the training work, not the JPEG decoder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../engine/tf.js';
import { replaceHead } from '../models/head.js';
import { loadModel } from '../models/model-io.js';
import { modelGroups } from '../models/manifest-builder.js';
import type { Manifest } from '../models/manifest.js';
import { feedFor, openLabelledFolder, type LabelledFeed } from '../train/data-feed.js';
import { cachedFeatures } from '../train/feature-cache/build.js';
import { backboneHash, splitForCache } from '../train/feature-cache/split.js';
import { featureSource } from '../train/feature-cache/table.js';
import { optimizerFor } from '../train/optimizers.js';
import { applyStrategy } from '../train/strategy.js';
import { trainLoop } from '../train/trainer.js';
import type { BenchCase } from './cases.js';
import type { CaseTiming } from './run-case.js';
import { decodeAll, writePixelFiles, type ExportedPixels } from './pixel-files.js';

/** The tutorial's optimizer: SGD, momentum 0.9, rate 0.001. */
const TUTORIAL_LR = 1e-3;

interface PreparedCase {
  model: tf.LayersModel;
  manifest: Manifest;
  feed: LabelledFeed;
  variables: tf.Variable[];
}

async function prepare(c: BenchCase): Promise<PreparedCase> {
  if (!c.fineTune) throw new Error(`${c.name}: a cached-head case names its model and data`);
  const parent = await loadModel(c.fineTune.model);
  const dataset = await openLabelledFolder(c.fineTune.data, 'the case data');
  const classes = [...dataset.classNames];
  const model = replaceHead(parent.model, classes.length);
  const strategy = applyStrategy(model, modelGroups(model), { freeze: c.freeze, bnStats: 'freeze', bnAffine: 'freeze' });
  const manifest: Manifest = { ...parent.manifest, classes, output: 'logits' };
  const feed = feedFor(dataset, classes, manifest, { batchSize: c.batch, shuffle: true, augment: false, seed: 0 });
  return { model, manifest, feed, variables: strategy.variables };
}

/** The case's images as raw uint8 HWC and int32 labels, for the PyTorch side. */
export async function exportPixels(c: BenchCase): Promise<ExportedPixels> {
  const { feed, model } = await prepare(c);
  const images = await decodeAll(feed.source);
  model.dispose();
  return writePixelFiles(images);
}

/** One untimed decoding pass and one backbone batch, then the timed run from an empty cache. */
export async function runCachedHeadCase(c: BenchCase): Promise<CaseTiming> {
  const epochs = c.fineTune!.epochs;
  const { model, manifest, feed, variables } = await prepare(c);
  await decodeAll(feed.source);
  const home = await mkdtemp(join(tmpdir(), 'calibra-bench-home-'));
  const optimizer = optimizerFor('sgd', TUTORIAL_LR);
  try {
    const split = splitForCache(model);
    if ('reason' in split) throw new Error(`${c.name}: the feature cache cannot apply: ${split.reason}`);
    const warm = tf.tidy(() => split.backbone.apply(tf.zeros([c.batch, ...manifest.inputShape]), { training: false }) as tf.Tensor);
    await warm.data();
    warm.dispose();
    const start = performance.now();
    const built = await cachedFeatures({
      home, split, backboneHash: backboneHash(split.backbone), folder: { root: feed.dataset.root, items: feed.items, loader: feed.loader },
      manifest, augment: { kind: 'none' },
    });
    const labels = Int32Array.from(feed.items, (it) => it.label ?? -1);
    const summary = await trainLoop({
      model: split.head, manifest, variables, optimizer, epochs, batchSize: c.batch, imagesPerEpoch: feed.items.length,
      source: featureSource(built.table, { batchSize: c.batch, shuffle: true, seed: 0, labels }),
      input: (batch) => tf.tensor(batch.x, [batch.n, ...split.shape]), emit: () => {},
    });
    const seconds = (performance.now() - start) / 1000;
    return { images_per_second: summary.images / seconds, batch: c.batch, steps: summary.steps, seconds };
  } finally {
    optimizer.dispose();
    model.dispose();
    await rm(home, { recursive: true, force: true });
  }
}
