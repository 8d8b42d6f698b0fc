// Tab completion for a typed path, shell-like: one match completes (a folder gains its slash),
// several extend to their longest common prefix and are listed. The matching is pure; the one
// function that reads the disk is at the bottom.
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';

export interface Entry {
  name: string;
  dir: boolean;
}

export interface Completion {
  /** The typed text after completion (unchanged when nothing matches). */
  text: string;
  /** The matching names, folders with a trailing slash; empty when the text was completed outright or nothing matched. */
  candidates: string[];
}

/** The folder part of typed text (through its last slash) and the name being typed after it. */
export function splitTyped(typed: string): { folder: string; prefix: string } {
  const cut = typed.lastIndexOf('/') + 1;
  return { folder: typed.slice(0, cut), prefix: typed.slice(cut) };
}

function commonPrefix(names: readonly string[]): string {
  let end = names[0]!.length;
  for (const name of names) {
    let i = 0;
    while (i < end && i < name.length && name[i] === names[0]![i]) i++;
    end = i;
  }
  return names[0]!.slice(0, end);
}

/** Hidden entries match only when the typed name starts with a dot. */
export function completeFrom(typed: string, entries: readonly Entry[]): Completion {
  const { folder, prefix } = splitTyped(typed);
  const matches = entries
    .filter((e) => e.name.startsWith(prefix) && (prefix.startsWith('.') || !e.name.startsWith('.')))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (matches.length === 0) return { text: typed, candidates: [] };
  if (matches.length === 1) {
    const only = matches[0]!;
    return { text: `${folder}${only.name}${only.dir ? '/' : ''}`, candidates: [] };
  }
  return { text: folder + commonPrefix(matches.map((m) => m.name)), candidates: matches.map((m) => (m.dir ? `${m.name}/` : m.name)) };
}

/** Where typed text points on disk: `~` is the home folder, relative text is under `cwd`. */
export function resolveTyped(typed: string, cwd: string): string {
  const expanded = typed === '~' || typed.startsWith('~/') ? homedir() + typed.slice(1) : typed;
  return resolve(cwd, expanded);
}

/** Completes against the folder the text names; a folder that cannot be listed completes nothing. */
export async function completePath(typed: string, cwd: string): Promise<Completion> {
  const { folder } = splitTyped(typed);
  const dirents = await readdir(resolveTyped(folder === '' ? '.' : folder, cwd), { withFileTypes: true }).catch(() => []);
  const entries = await Promise.all(dirents.map(async (d) => ({
    name: d.name,
    dir: d.isDirectory() || (d.isSymbolicLink() && (await stat(resolveTyped(folder + d.name, cwd)).then((s) => s.isDirectory(), () => false))),
  })));
  return completeFrom(typed, entries);
}
