// Finding images on disk. The order is a pure function of the names, never of the file system's
// listing order, so a seed means the same thing on every machine.

import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InputError } from '../errors.js';
import { DATASET_MARKER } from '../util/output-guard.js';
import { type BadFile, describeFolderError, describeLoadError } from './bad-files.js';
import { IgnoredTally, type IgnoredSummary } from './ignored-files.js';

export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
]);

/** By extension only: whether the content decodes is the loader's question. */
export function hasImageExtension(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

/** Code-unit order, independent of the locale the process runs in. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface ClassFolders {
  readonly root: string;
  /** Folder names, sorted. */
  readonly classNames: string[];
  /** Per class, the images anywhere under its folder, sorted. */
  readonly files: string[][];
  /** Images lying directly in the root, which belong to no class. */
  readonly strayFiles: string[];
  /** Folders and links under root that could not be followed, each with why. */
  readonly unreadable: BadFile[];
  readonly ignored: IgnoredSummary;
}

export interface ImageTree {
  /** Sorted by folder then name. */
  readonly files: string[];
  readonly unreadable: BadFile[];
  readonly ignored: IgnoredSummary;
}

/** How far a scan of class folders has got: every class name, and the image counts of the first classes. */
export interface ClassScanProgress {
  readonly classNames: readonly string[];
  /** One count per class scanned so far, in class order. */
  readonly counts: readonly number[];
}

/**
 * A labelled folder: one subfolder per class, each holding images (nesting inside is allowed).
 * `onProgress` hears once the classes are known and again after each class, so a screen can
 * show a large folder filling in.
 */
export async function scanClassFolders(root: string, onProgress?: (p: ClassScanProgress) => void): Promise<ClassFolders> {
  const scan = new TreeScan();
  const entries = (await scan.entries(root, true))!;
  const classNames: string[] = [];
  const strayFiles: string[] = [];
  for (const entry of entries) {
    const kind = await scan.kind(root, entry);
    const path = join(root, entry.name);
    if (kind === 'dir') classNames.push(entry.name);
    else if (kind !== 'other' && hasImageExtension(entry.name)) strayFiles.push(path);
    else if (kind !== 'broken') scan.ignored.file(path);
  }
  const files: string[][] = [];
  onProgress?.({ classNames, counts: [] });
  for (const name of classNames) {
    const out: string[] = [];
    await scan.walk(join(root, name), out, false);
    files.push(out);
    onProgress?.({ classNames, counts: files.map((f) => f.length) });
  }
  return { root, classNames, files, strayFiles, unreadable: scan.unreadable, ignored: scan.ignored.summary() };
}

/** Every image under root, flat or nested, with what was skipped or ignored on the way. */
export async function scanImageTree(root: string): Promise<ImageTree> {
  const scan = new TreeScan();
  const files: string[] = [];
  await scan.walk(root, files, true);
  return { files, unreadable: scan.unreadable, ignored: scan.ignored.summary() };
}

/** Every image under root, flat or nested, sorted by folder then name. */
export async function listImageFiles(root: string): Promise<string[]> {
  return (await scanImageTree(root)).files;
}

type EntryKind = 'dir' | 'file' | 'broken' | 'other';

/**
 * One walk over a tree. The root must be readable (it is the input the person named); a folder
 * or link inside it that cannot be followed is skipped and reported, like a bad image.
 */
class TreeScan {
  readonly ignored = new IgnoredTally();
  readonly unreadable: BadFile[] = [];
  // Symbolic links may point back up the tree; each real folder is visited once.
  readonly #seen = new Set<string>();

  async walk(dir: string, out: string[], isRoot: boolean): Promise<void> {
    const entries = await this.entries(dir, isRoot);
    if (entries === null) return;
    const real = await realpath(dir);
    if (this.#seen.has(real)) return;
    this.#seen.add(real);
    for (const entry of entries) {
      const kind = await this.kind(dir, entry);
      const path = join(dir, entry.name);
      if (kind === 'dir') await this.walk(path, out, false);
      else if (kind !== 'other' && hasImageExtension(entry.name)) out.push(path);
      else if (kind !== 'broken') this.ignored.file(path);
    }
  }

  /** Visible entries, sorted; hidden ones are counted. Null for a folder that cannot be listed. */
  async entries(dir: string, isRoot: boolean): Promise<Dirent[] | null> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (isRoot) {
        if (code === 'ENOENT') throw new InputError(`folder not found: ${dir}`);
        if (code === 'ENOTDIR') throw new InputError(`not a folder: ${dir}`);
        throw new InputError(`cannot read folder ${dir}: ${code ?? String(err)}`);
      }
      this.unreadable.push({ path: dir, reason: describeFolderError(err) });
      return null;
    }
    // The marker Calibra writes into its synthetic sets is its own, not something the person lost.
    const own = entries.filter((e) => e.name !== DATASET_MARKER);
    const visible = own.filter((e) => !e.name.startsWith('.'));
    for (let i = visible.length; i < own.length; i++) this.ignored.hidden();
    return visible.sort((a, b) => compareNames(a.name, b.name));
  }

  /**
   * A link is judged by its target. A dangling link with an image name still counts as a file,
   * so that the loader reports it; any other link that leads nowhere is reported here.
   */
  async kind(dir: string, entry: Dirent): Promise<EntryKind> {
    if (entry.isDirectory()) return 'dir';
    if (entry.isFile()) return 'file';
    if (!entry.isSymbolicLink()) return 'other';
    const path = join(dir, entry.name);
    try {
      const target = await stat(path);
      return target.isDirectory() ? 'dir' : target.isFile() ? 'file' : 'other';
    } catch (err) {
      if (!hasImageExtension(entry.name)) this.unreadable.push({ path, reason: describeLinkError(err) });
      return 'broken';
    }
  }
}

function describeLinkError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'unreadable: broken link (its target does not exist)' : describeLoadError(err);
}
