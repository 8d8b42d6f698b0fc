// The file system side of path completion.
import { readdirSync } from 'node:fs';
import type { DirEntry } from './path-completion.js';

export function listDir(dir: string): DirEntry[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((d) => ({ name: d.name, isDirectory: d.isDirectory() }));
  } catch {
    return [];
  }
}
