// Naming runs briefly. An id is `YYYYMMDD-HHMMSS-xxxx`: its random tail tells runs apart and
// its time is shown in its own column, so a run goes by the shortest tail of its id that no
// other run's id ends with. A person may type that tail or any prefix of the full id.
import type { RunRecord } from './run-record.js';

/** The tails of `id` that end at a '-' boundary, shortest first, ending with the id itself. */
function tails(id: string): string[] {
  const parts = id.split('-');
  return parts.map((_, i) => parts.slice(parts.length - 1 - i).join('-'));
}

/** For each id, its shortest tail that is the tail of no other id (the full id when none is). */
export function shortIds(ids: readonly string[]): Map<string, string> {
  const owners = new Map<string, number>();
  for (const id of new Set(ids)) for (const tail of tails(id)) owners.set(tail, (owners.get(tail) ?? 0) + 1);
  return new Map(ids.map((id) => [id, tails(id).find((tail) => owners.get(tail) === 1) ?? id]));
}

/** The runs that `query` names: the whole id, a prefix of it, or a tail of it after a '-'. */
export function matchRuns(runs: readonly RunRecord[], query: string): RunRecord[] {
  const exact = runs.filter((r) => r.id === query);
  if (exact.length > 0) return exact;
  return runs.filter((r) => r.id.startsWith(query) || r.id.endsWith(`-${query}`));
}
