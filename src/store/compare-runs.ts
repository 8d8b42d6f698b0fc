// Two runs side by side: which settings differ, and their metrics. Pure, so tested alone.
import type { EpochRecord, RunRecord } from './run-record.js';

export interface ConfigDifference {
  key: string;
  a: unknown;
  b: unknown;
}

const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

/** Keys whose values differ (absent counts as a value), sorted by key; nested objects by dotted path. */
export function configDiff(a: Record<string, unknown>, b: Record<string, unknown>, prefix = ''): ConfigDifference[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((key) => {
    const [x, y] = [a[key], b[key]];
    const path = prefix + key;
    const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (isRecord(x) && isRecord(y)) return configDiff(x, y, `${path}.`);
    return same(x, y) ? [] : [{ key: path, a: x, b: y }];
  });
}

export interface MetricPair {
  a: number | null;
  b: number | null;
}

export interface EpochPair {
  epoch: number;
  a: EpochRecord | null;
  b: EpochRecord | null;
}

export interface RunComparison {
  config: ConfigDifference[];
  /** Final figures by name, each present where at least one run has it. */
  metrics: Record<string, MetricPair>;
  /** Every epoch either run recorded, in order. */
  epochs: EpochPair[];
}

/** The figures compared, each read from a run (null where the run has none). */
const METRICS: readonly (readonly [string, (r: RunRecord) => unknown])[] = [
  ['loss', (r) => r.result?.loss ?? r.epochs.at(-1)?.loss],
  ['train_accuracy', (r) => r.result?.train_accuracy],
  ['val_accuracy', (r) => r.result?.val_accuracy],
  ['accuracy', (r) => r.result?.accuracy],
  ['images', (r) => r.result?.images ?? r.result?.n],
  ['images_per_second', (r) => r.result?.images_per_second],
  ['seconds', (r) => r.seconds],
  ['epochs', (r) => (r.epochs.length > 0 ? r.epochs.length : null)],
];

const figure = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function compareRuns(a: RunRecord, b: RunRecord): RunComparison {
  const metrics: Record<string, MetricPair> = {};
  for (const [name, read] of METRICS) {
    const pair = { a: figure(read(a)), b: figure(read(b)) };
    if (pair.a !== null || pair.b !== null) metrics[name] = pair;
  }
  const numbers = [...new Set([...a.epochs, ...b.epochs].map((e) => e.epoch))].sort((x, y) => x - y);
  const epochs = numbers.map((epoch) => ({ epoch, a: a.epochs.find((e) => e.epoch === epoch) ?? null, b: b.epochs.find((e) => e.epoch === epoch) ?? null }));
  return { config: configDiff(a.config, b.config), metrics, epochs };
}
