// Datasets as plain lists of paths and labels, and the seeded ways of dividing them. Pixels come
// later, from the batch stream.

import { InputError } from '../errors.js';
import { createRng, shuffled } from '../util/rng.js';
import { type BadFile, summariseReasons } from './bad-files.js';
import { NOTHING_IGNORED, describeIgnored, type IgnoredSummary } from './ignored-files.js';
import { listImageFiles, scanClassFolders } from './image-files.js';

export interface LabelledItem {
  readonly path: string;
  /** Index into classNames. */
  readonly label: number;
}

export interface LabelledDataset {
  readonly root: string;
  /** Sorted folder names; a class whose folder is empty keeps its index. */
  readonly classNames: readonly string[];
  /** Class by class, each class's files in sorted order. */
  readonly items: readonly LabelledItem[];
  /** Things worth telling the person that do not stop the run, one line each. */
  readonly warnings: readonly string[];
  /** Folders and links inside root that could not be followed; they are skipped like bad files. */
  readonly unreadable: readonly BadFile[];
  /** Files passed over because their names are not image names, or are hidden. */
  readonly ignored: IgnoredSummary;
}

/**
 * Reads a folder with one subfolder per class. Empty class folders are warnings; no images at
 * all is an InputError. A single class is accepted here, since evaluating one class is fine;
 * training asks requireTrainable.
 */
export async function loadLabelledDataset(root: string): Promise<LabelledDataset> {
  const scan = await scanClassFolders(root);
  const warnings: string[] = [];
  if (scan.classNames.length === 0) {
    const hint = scan.strayFiles.length > 0 ? ` (found ${scan.strayFiles.length} images directly in it)` : '';
    throw new InputError(`no class folders in ${root}: expected one subfolder per class${hint}`);
  }
  const items: LabelledItem[] = [];
  scan.files.forEach((files, label) => {
    if (files.length === 0) warnings.push(`class folder '${scan.classNames[label]}' in ${root} has no images`);
    for (const path of files) items.push({ path, label });
  });
  if (items.length === 0) {
    const why = [
      scan.unreadable.length > 0 ? `skipped ${summariseReasons(scan.unreadable.map((u) => u.reason))}` : null,
      describeIgnored(scan.ignored),
    ].filter((part) => part !== null);
    throw new InputError(`no images in any class folder of ${root}${why.length > 0 ? ` (${why.join('; ')})` : ''}`);
  }
  if (scan.strayFiles.length > 0) {
    warnings.push(`${scan.strayFiles.length} images directly in ${root} belong to no class and are ignored`);
  }
  return { root, classNames: scan.classNames, items, warnings, unreadable: scan.unreadable, ignored: scan.ignored };
}

/** Training needs two classes that actually hold images. */
export function requireTrainable(ds: LabelledDataset): void {
  const present = classCounts(ds).filter((n) => n > 0).length;
  if (present < 2) {
    throw new InputError(
      `training needs at least 2 classes with images in ${ds.root}, found ${present}` +
        ` (${ds.classNames.join(', ')})`,
    );
  }
}

/** Images for recalibration or inspection: any tree of images, labels ignored. */
export async function loadImageList(root: string): Promise<string[]> {
  const files = await listImageFiles(root);
  if (files.length === 0) throw new InputError(`no images in ${root}`);
  return files;
}

export function classCounts(ds: LabelledDataset): number[] {
  const counts = new Array<number>(ds.classNames.length).fill(0);
  for (const item of ds.items) counts[item.label]!++;
  return counts;
}

export interface SplitArgs {
  /** Share of each class that goes to validation, in [0, 1). */
  valFraction: number;
  seed: number;
}

/**
 * Each class is split in the same proportion, so a rare class is never left out of validation
 * by bad luck. A class of two or more images gives validation at least one and training at
 * least one. Items keep the dataset's order; only membership is random.
 */
export function stratifiedSplit(
  ds: LabelledDataset,
  args: SplitArgs,
): { train: LabelledDataset; val: LabelledDataset } {
  const { valFraction } = args;
  if (!(valFraction >= 0 && valFraction < 1)) {
    throw new InputError(`validation fraction must be in [0, 1), got ${valFraction}`);
  }
  const byClass = ds.classNames.map((): number[] => []);
  ds.items.forEach((item, i) => byClass[item.label]!.push(i));
  const rng = createRng(args.seed);
  const inVal = new Set<number>();
  for (const indices of byClass) {
    // A stream per class: a class gaining an image does not reshuffle the others.
    const classRng = rng.fork();
    const n = indices.length;
    const wanted = Math.round(n * valFraction);
    const count = n < 2 || valFraction === 0 ? 0 : Math.min(n - 1, Math.max(1, wanted));
    for (const i of shuffled(indices, classRng).slice(0, count)) inVal.add(i);
  }
  // What the scan skipped or ignored belongs to the folder, so it is told once, with training.
  const pick = (val: boolean): LabelledDataset => ({
    ...ds,
    items: ds.items.filter((_, i) => inVal.has(i) === val),
    ...(val ? { unreadable: [], ignored: NOTHING_IGNORED } : {}),
  });
  return { train: pick(false), val: pick(true) };
}
