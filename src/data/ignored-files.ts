// Files a scan passed over on purpose: no image extension (an SVG, a note, a file with no
// extension) or hidden. They are not errors, but a person whose images are all .svg should
// hear why none were used, so the scan counts them and keeps a few names to show.

import { extname } from 'node:path';

const EXAMPLES = 5;

export interface IgnoredSummary {
  /** Every entry passed over, hidden ones included. */
  readonly count: number;
  /** Entries whose name starts with a dot: counted only, never listed or entered. */
  readonly hidden: number;
  /** Visible ignored files per lower-case extension; '' for none. */
  readonly byExtension: Readonly<Record<string, number>>;
  /** The first few visible ignored paths, in scan order. */
  readonly examples: readonly string[];
}

export class IgnoredTally {
  #hidden = 0;
  readonly #byExtension = new Map<string, number>();
  readonly #examples: string[] = [];

  file(path: string): void {
    const ext = extname(path).toLowerCase();
    this.#byExtension.set(ext, (this.#byExtension.get(ext) ?? 0) + 1);
    if (this.#examples.length < EXAMPLES) this.#examples.push(path);
  }

  hidden(): void {
    this.#hidden++;
  }

  summary(): IgnoredSummary {
    const visible = [...this.#byExtension.values()].reduce((a, b) => a + b, 0);
    const byExtension = sortedCounts([...this.#byExtension]);
    return { count: visible + this.#hidden, hidden: this.#hidden, byExtension, examples: [...this.#examples] };
  }
}

export const NOTHING_IGNORED: IgnoredSummary = { count: 0, hidden: 0, byExtension: {}, examples: [] };

export function mergeIgnored(a: IgnoredSummary, b: IgnoredSummary): IgnoredSummary {
  const byExtension = new Map(Object.entries(a.byExtension));
  for (const [ext, n] of Object.entries(b.byExtension)) byExtension.set(ext, (byExtension.get(ext) ?? 0) + n);
  return {
    count: a.count + b.count,
    hidden: a.hidden + b.hidden,
    byExtension: sortedCounts([...byExtension]),
    examples: [...a.examples, ...b.examples].slice(0, EXAMPLES),
  };
}

/** Most common first, then by name, so the same folder always reads the same. */
function sortedCounts(entries: [string, number][]): Record<string, number> {
  return Object.fromEntries(entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** One line, e.g. "ignored 4 files: 3 .svg, 1 with no extension (e.g. 0/a.svg), and 2 hidden". */
export function describeIgnored(s: IgnoredSummary): string | null {
  if (s.count === 0) return null;
  const visible = s.count - s.hidden;
  const kinds = Object.entries(s.byExtension).map(([ext, n]) => `${n} ${ext === '' ? 'with no extension' : ext}`);
  const parts: string[] = [];
  if (visible > 0) parts.push(`${kinds.join(', ')} (e.g. ${s.examples.slice(0, 2).join(', ')})`);
  if (s.hidden > 0) parts.push(`${s.hidden} hidden`);
  return `ignored ${s.count} ${s.count === 1 ? 'entry' : 'entries'} that are not images by name: ${parts.join('; ')}`;
}
