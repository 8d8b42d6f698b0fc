// An inspect result as the Inspect screen draws it: layers grouped, bars scaled to the largest
// drift, and the groups one key recalibrates. Pure.
import { groupDrift } from '../bn/advice.js';
import type { InspectStepResult } from '../workflows/steps/inspect.js';
import { bar, fit } from './text.js';

const NAME = 19;

/** One line per group (its mean drift) followed by its layers, each with a bar. */
export function driftLines(result: Pick<InspectStepResult, 'layers'>, width: number): string[] {
  const max = Math.max(1e-12, ...result.layers.map((l) => l.drift));
  const barWidth = Math.max(5, width - NAME - 10);
  return groupDrift(result.layers).flatMap(({ group, drift }) => [
    `${group} (mean ${drift.toFixed(2)})`,
    ...result.layers.filter((l) => l.group === group).map((l) => `  ${fit(l.name, NAME - 1)} ${bar(l.drift / max, barWidth).replace(/░+$/, '').padEnd(barWidth)} ${l.drift.toFixed(2)}`),
  ]);
}

/** The groups the advice names; when it names none (little drift), the one that drifts most. */
export function groupsToRecalibrate(result: Pick<InspectStepResult, 'layers' | 'adviceGroups'>): string[] {
  if (result.adviceGroups.length > 0) return result.adviceGroups;
  const groups = groupDrift(result.layers);
  if (groups.length === 0) return [];
  return [groups.reduce((a, b) => (b.drift > a.drift ? b : a)).group];
}

/** `base`, or `base-2`, `base-3`… : the first that does not exist, so an output is never refused for being taken. */
export function freshPath(base: string, exists: (path: string) => boolean): string {
  if (!exists(base)) return base;
  let n = 2;
  while (exists(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}
