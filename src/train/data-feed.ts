// Feeds a labelled image folder to a model: decodes at the model's input size and resize mode,
// maps folder names to the model's classes, augments as the manifest allows, and collects the
// files it had to skip.
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import { loadImageList, loadLabelledDataset, type LabelledDataset } from '../data/dataset.js';
import { ImageLoader } from '../data/load-image.js';
import { BadFileReport } from '../data/bad-files.js';
import { streamBatches, type BatchItem } from '../data/batches.js';
import { firstReadable } from '../data/readable.js';
import { describeIgnored } from '../data/ignored-files.js';
import { createAugmentHook } from '../data/augment.js';
import { InputError } from '../errors.js';
import { imageFolderHash } from '../data/image-folder-hash.js';
import type { Manifest } from '../models/manifest.js';
import type { BatchSource } from './batch-source.js';

export interface FeedArgs {
  batchSize: number;
  shuffle: boolean;
  augment: boolean;
  seed: number;
}

export interface LabelledFeed {
  dataset: LabelledDataset;
  items: BatchItem[];
  source: BatchSource;
  loader: ImageLoader;
  /** Starts with the folders the scan could not follow; the stream adds the files it skips. */
  badFiles: BadFileReport;
  /** Identifies the data: a hash over the relative paths and labels. */
  hash: string;
}

export function datasetHash(ds: LabelledDataset): string {
  const h = createHash('sha256');
  for (const item of ds.items) h.update(`${relative(ds.root, item.path)}\t${ds.classNames[item.label]}\n`);
  return h.digest('hex').slice(0, 16);
}

/**
 * Labels index `classes` (the model's, or the new head's). A folder whose name is not among
 * them is an error that names it.
 */
export function feedFor(dataset: LabelledDataset, classes: readonly string[], manifest: Manifest, args: FeedArgs, flag = '--data'): LabelledFeed {
  const index = new Map(classes.map((c, i) => [c, i]));
  const missing = dataset.classNames.filter((c, i) => !index.has(c) && dataset.items.some((it) => it.label === i));
  if (missing.length > 0) {
    throw new InputError(`${flag} ${dataset.root}: class folder(s) ${missing.map((m) => `'${m}'`).join(', ')} not among the model's classes (${classes.slice(0, 12).join(', ')}${classes.length > 12 ? ', …' : ''})`);
  }
  const items = dataset.items.map((it) => ({ path: it.path, label: index.get(dataset.classNames[it.label]!)! }));
  const loader = loaderFor(manifest);
  const badFiles = new BadFileReport();
  for (const bad of dataset.unreadable) badFiles.add(bad.path, bad.reason);
  const augment = args.augment ? createAugmentHook({ flip: manifest.augment.flip, scale: manifest.augment.cropScale }) : undefined;
  const source: BatchSource = (epoch, start) => streamBatches(items, { batchSize: args.batchSize, loader, badFiles, shuffle: args.shuffle, seed: args.seed, epoch, start, augment });
  return { dataset, items, source, loader, badFiles, hash: datasetHash(dataset) };
}

/**
 * A feed in which no image decodes would train nothing or score nothing, and say it succeeded;
 * checked before the run starts. `what` names the input, e.g. "--data /x".
 */
export async function requireReadable(feed: LabelledFeed, what: string): Promise<void> {
  const found = await firstReadable(feed.items.map((it) => it.path), feed.loader, feed.badFiles);
  if (found === null) {
    throw new InputError(`${what}: no readable image among ${feed.items.length} files (${feed.badFiles.summary()})`);
  }
}

/** The stderr line saying what a folder's scan passed over, or null when it passed over nothing. */
export function ignoredNote(dataset: LabelledDataset, flag: string): string | null {
  const line = describeIgnored(dataset.ignored);
  return line === null ? null : `${flag} ${dataset.root}: ${line}`;
}

/** Reads an input folder, so that an InputError about it names the flag that gave it. */
async function readingFlag<T>(flag: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof InputError && !err.message.includes(flag)) throw new InputError(`${flag}: ${err.message}`);
    throw err;
  }
}

export function openLabelledFolder(root: string, flag: string): Promise<LabelledDataset> {
  return readingFlag(flag, () => loadLabelledDataset(root));
}

/** Decodes at the model's input size and resize mode, keeping decoded pixels for later passes. */
function loaderFor(manifest: Pick<Manifest, 'inputShape' | 'preprocessing'>): ImageLoader {
  const [h, w] = manifest.inputShape;
  return new ImageLoader({ size: [h, w], mode: manifest.preprocessing.resize });
}

export interface UnlabelledFeedArgs extends Omit<FeedArgs, 'augment'> {
  /** Where unreadable files go, each reported once however many passes meet it; a new report when absent. */
  badFiles?: BadFileReport;
}

export interface UnlabelledFeed {
  items: BatchItem[];
  /** Batches whose labels are all -1. */
  source: BatchSource;
  badFiles: BadFileReport;
}

/** Unlabelled images decoded for the model, unaugmented: what TENT adapts on, AdaBN recalibrates on and drift is probed on. */
export function unlabelledFeed(files: readonly string[], manifest: Pick<Manifest, 'inputShape' | 'preprocessing'>, args: UnlabelledFeedArgs): UnlabelledFeed {
  const items = files.map((path) => ({ path }));
  const loader = loaderFor(manifest);
  const badFiles = args.badFiles ?? new BadFileReport();
  const source: BatchSource = (epoch, start) => streamBatches(items, { batchSize: args.batchSize, loader, badFiles, shuffle: args.shuffle, seed: args.seed, epoch, start });
  return { items, source, badFiles };
}

export interface ImageFeed extends UnlabelledFeed {
  root: string;
  /** Identifies the images, as recalibrate's lineage does (imageFolderHash). */
  hash: string;
}

/** Unlabelled images anywhere under root (flat or nested), decoded for the model, unaugmented. */
export async function imageFeed(root: string, manifest: Manifest, args: Omit<FeedArgs, 'augment'>, flag = '--images'): Promise<ImageFeed> {
  const files = await readingFlag(flag, () => loadImageList(root));
  return { root, ...unlabelledFeed(files, manifest, args), hash: await imageFolderHash(root, files) };
}
