// Naming runs briefly. An id is `YYYYMMDD-HHMMSS-xxxx`: its random tail tells runs apart and
// its time is shown in its own column, so a run goes by the shortest end of its id that no
// other run's id ends with (four characters at least). A person may type that end or any
// prefix of the full id.
import type { RunRecord } from './run-record.js';

const MIN_SHORT = 4;

function commonEnd(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** For each id, its shortest end that no other id ends with (never starting at a '-'). */
export function shortIds(ids: readonly string[]): Map<string, string> {
  const unique = [...new Set(ids)];
  // Sorted by their reversed text, ids that share the longest ends are neighbours.
  const reversed = unique.map((id) => [...id].reverse().join('')).sort();
  const shared = new Map<string, number>();
  reversed.forEach((r, i) => {
    const id = [...r].reverse().join('');
    const before = i > 0 ? commonEnd(id, [...reversed[i - 1]!].reverse().join('')) : 0;
    const after = i < reversed.length - 1 ? commonEnd(id, [...reversed[i + 1]!].reverse().join('')) : 0;
    shared.set(id, Math.max(before, after));
  });
  return new Map(ids.map((id) => {
    let length = Math.min(id.length, Math.max(MIN_SHORT, shared.get(id)! + 1));
    if (id[id.length - length] === '-' && length < id.length) length++;
    return [id, id.slice(id.length - length)];
  }));
}

/** The runs that `query` names: the whole id, or a prefix or an end of it. */
export function matchRuns(runs: readonly RunRecord[], query: string): RunRecord[] {
  const exact = runs.filter((r) => r.id === query);
  if (exact.length > 0) return exact;
  return runs.filter((r) => r.id.startsWith(query) || r.id.endsWith(query));
}
