// The terminal view of a drift profile: one row per BN layer with a bar. Bars are on a log
// scale, since drift spans orders of magnitude between the first layers and the last.

import type { InspectLayer as DriftRow } from '../workflows/steps/inspect.js';

const BAR_WIDTH = 30;
/** Drift values from 0.001 to 100 fill the bar. */
const LOG_FLOOR = -3;
const LOG_CEIL = 2;

export function driftBar(drift: number, width = BAR_WIDTH): string {
  const fraction = drift <= 0 ? 0 : Math.min(1, Math.max(0, (Math.log10(drift) - LOG_FLOOR) / (LOG_CEIL - LOG_FLOOR)));
  const filled = Math.round(fraction * width);
  return '█'.repeat(filled) + '·'.repeat(width - filled);
}

export function driftTable(rows: readonly DriftRow[]): string {
  const nameWidth = Math.max(5, ...rows.map((r) => r.name.length));
  const groupWidth = Math.max(5, ...rows.map((r) => r.group.length));
  const header = `${'layer'.padEnd(nameWidth)}  ${'group'.padEnd(groupWidth)}  ${'ch'.padStart(4)}  ${'drift (log, 0.001…100)'.padEnd(BAR_WIDTH)}  ${'drift'.padStart(9)}  ${'shift'.padStart(6)}  ${'var×'.padStart(7)}`;
  const lines = rows.map((r) => `${r.name.padEnd(nameWidth)}  ${r.group.padEnd(groupWidth)}  ${String(r.channels).padStart(4)}  ${driftBar(r.drift)}  ${r.drift.toPrecision(3).padStart(9)}  ${r.meanShift.toFixed(2).padStart(6)}  ${r.varRatio.toPrecision(3).padStart(7)}`);
  return [header, ...lines].join('\n');
}
