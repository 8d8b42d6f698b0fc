// Tab completion for path fields. Pure over a directory lister, so tests give it a made-up tree.

export interface DirEntry {
  name: string;
  isDirectory: boolean;
}

/** Lists a folder's entries; an unreadable or missing folder lists as empty. */
export type ListDir = (dir: string) => DirEntry[];

export interface Completion {
  /** The input after completion: the whole match, or as far as all matches agree. */
  value: string;
  /** Every match's name when more than one remains (for the field to show); empty otherwise. */
  candidates: string[];
}

function commonPrefix(names: readonly string[]): string {
  let prefix = names[0] ?? '';
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/**
 * Completes the last segment of `input` against the folder it names. A single match gains a
 * trailing `/` when it is a folder, so the next Tab goes on inside it. Hidden entries are offered
 * only when the segment starts with a dot.
 */
export function completePath(input: string, list: ListDir): Completion {
  const cut = input.lastIndexOf('/') + 1;
  const dirPart = input.slice(0, cut);
  const segment = input.slice(cut);
  const matches = list(dirPart === '' ? '.' : dirPart)
    .filter((e) => e.name.startsWith(segment) && (segment.startsWith('.') || !e.name.startsWith('.')))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (matches.length === 0) return { value: input, candidates: [] };
  if (matches.length === 1) {
    const only = matches[0]!;
    return { value: dirPart + only.name + (only.isDirectory ? '/' : ''), candidates: [] };
  }
  return { value: dirPart + commonPrefix(matches.map((m) => m.name)), candidates: matches.map((m) => (m.isDirectory ? `${m.name}/` : m.name)) };
}
