// The file system side of path completion: what a typed path means on disk, and its folder's entries.
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DirEntry, ListDir } from './path-completion.js';

/** Where typed text points: `~` is the home folder, relative text is under `cwd`. */
export function resolveTyped(typed: string, cwd: string): string {
  const expanded = typed === '~' || typed.startsWith('~/') ? homedir() + typed.slice(1) : typed;
  return resolve(cwd, expanded);
}

/** A folder's entries, a link to a folder counting as a folder; unreadable or missing lists as empty. */
export function listDir(dir: string): DirEntry[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((d) => ({
      name: d.name,
      isDirectory: d.isDirectory() || (d.isSymbolicLink() && isFolder(join(dir, d.name))),
    }));
  } catch {
    return [];
  }
}

/** Lists folders as typed relative to `cwd`. */
export function listDirFrom(cwd: string): ListDir {
  return (dir) => listDir(resolveTyped(dir, cwd));
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
