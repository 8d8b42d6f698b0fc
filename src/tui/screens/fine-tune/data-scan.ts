// A labelled folder's scan as a screen shows it while it runs: class names as soon as they are
// listed, counts filling in class by class, then what was skipped or ignored.
import type { BadFile } from '../../../data/bad-files.js';
import { describeIgnored, type IgnoredSummary } from '../../../data/ignored-files.js';
import { scanClassFolders } from '../../../data/image-files.js';

export interface ScanView {
  path: string;
  classNames: readonly string[];
  counts: readonly number[];
  done: boolean;
  unreadable: readonly BadFile[];
  /** Images directly in the folder, which belong to no class. */
  stray: number;
  ignored: IgnoredSummary | null;
  error: string | null;
}

export function emptyScan(path: string): ScanView {
  return { path, classNames: [], counts: [], done: false, unreadable: [], stray: 0, ignored: null, error: null };
}

/** Scans `path`, reporting each stage through `onUpdate`; the last report has `done`. */
export function scanLabelledFolder(path: string, onUpdate: (view: ScanView) => void): void {
  const start = emptyScan(path);
  onUpdate(start);
  scanClassFolders(path, (p) => onUpdate({ ...start, classNames: [...p.classNames], counts: [...p.counts] })).then(
    (r) => onUpdate({ ...start, classNames: r.classNames, counts: r.files.map((f) => f.length), done: true, unreadable: r.unreadable, stray: r.strayFiles.length, ignored: r.ignored }),
    (err: Error) => onUpdate({ ...start, done: true, error: err.message }),
  );
}

export function scanImages(v: ScanView): number {
  return v.counts.reduce((a, b) => a + b, 0);
}

/** Why the folder cannot train a classifier, or null when it can. */
export function scanProblem(v: ScanView): string | null {
  if (v.error !== null) return v.error;
  if (!v.done) return null;
  const withImages = v.counts.filter((n) => n > 0).length;
  if (withImages < 2) return `${v.path}: ${withImages === 0 ? 'no class folder holds images' : 'only one class folder holds images'}; a labelled folder has one subfolder of images per class`;
  return null;
}

/** The lines a person should read about what the scan passed over. */
export function scanNotes(v: ScanView): string[] {
  const notes: string[] = [];
  const empty = v.classNames.filter((_, i) => v.counts[i] === 0);
  if (empty.length > 0) notes.push(`empty class folders: ${empty.join(', ')}`);
  if (v.stray > 0) notes.push(`${v.stray} image(s) directly in the folder belong to no class and are skipped`);
  for (const bad of v.unreadable.slice(0, 2)) notes.push(`skipped ${bad.path}: ${bad.reason}`);
  if (v.unreadable.length > 2) notes.push(`… and ${v.unreadable.length - 2} more unreadable`);
  const ignored = v.ignored && describeIgnored(v.ignored);
  if (ignored) notes.push(ignored);
  return notes;
}
