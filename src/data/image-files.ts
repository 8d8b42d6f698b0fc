// Finding images on disk. The order is a pure function of the names, never of the file system's
// listing order, so a seed means the same thing on every machine.

import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InputError } from '../errors.js';

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
}

/** A labelled folder: one subfolder per class, each holding images (nesting inside is allowed). */
export async function scanClassFolders(root: string): Promise<ClassFolders> {
  const entries = await readFolder(root, true);
  const classNames: string[] = [];
  const strayFiles: string[] = [];
  for (const entry of entries) {
    const kind = await entryKind(root, entry);
    if (kind === 'dir') classNames.push(entry.name);
    else if (kind === 'file' && hasImageExtension(entry.name)) strayFiles.push(join(root, entry.name));
  }
  const files: string[][] = [];
  for (const name of classNames) files.push(await listImageFiles(join(root, name)));
  return { root, classNames, files, strayFiles };
}

/** Every image under root, flat or nested, sorted by folder then name. */
export async function listImageFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  await walk(root, out, new Set(), true);
  return out;
}

async function walk(dir: string, out: string[], seen: Set<string>, isRoot: boolean): Promise<void> {
  const entries = await readFolder(dir, isRoot);
  // Symbolic links may point back up the tree; each real folder is visited once.
  const real = await realpath(dir);
  if (seen.has(real)) return;
  seen.add(real);
  for (const entry of entries) {
    const kind = await entryKind(dir, entry);
    const path = join(dir, entry.name);
    if (kind === 'dir') await walk(path, out, seen, false);
    else if (kind !== 'other' && hasImageExtension(entry.name)) out.push(path);
  }
}

/** Visible entries, sorted. */
async function readFolder(dir: string, isRoot: boolean): Promise<Dirent[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (isRoot && code === 'ENOENT') throw new InputError(`folder not found: ${dir}`);
    if (code === 'ENOTDIR') throw new InputError(`not a folder: ${dir}`);
    throw new InputError(`cannot read folder ${dir}: ${code ?? String(err)}`);
  }
  return entries
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => compareNames(a.name, b.name));
}

/**
 * A link is judged by its target. A dangling link with an image name still counts as a file, so
 * that it is reported as unreadable rather than vanishing without a word.
 */
async function entryKind(dir: string, entry: Dirent): Promise<'dir' | 'file' | 'broken' | 'other'> {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    const target = await stat(join(dir, entry.name));
    return target.isDirectory() ? 'dir' : target.isFile() ? 'file' : 'other';
  } catch {
    return 'broken';
  }
}
