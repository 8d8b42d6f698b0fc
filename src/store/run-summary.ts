// What a person scans a run by: its model and data by short name, its headline figure, and its
// config as flat key/value pairs. Pure: reads a record, formats nothing.
import { basename, dirname } from 'node:path';
import type { RunRecord } from './run-record.js';

export interface KeyMetric {
  /** What the figure is: `val` or `train` accuracy, `acc`uracy, or `images`. */
  label: 'val' | 'train' | 'acc' | 'images';
  value: number;
  kind: 'fraction' | 'count';
}

/** Per command, the result fields that stand for the run, in order of preference. */
const HEADLINES: Record<string, readonly (readonly [string, KeyMetric['label']])[]> = {
  train: [['val_accuracy', 'val'], ['train_accuracy', 'train']],
  pretrain: [['val_accuracy', 'val'], ['train_accuracy', 'train']],
  eval: [['accuracy', 'acc']],
  recalibrate: [['images', 'images']],
  inspect: [['images', 'images']],
  adapt: [['images', 'images']],
};
const FALLBACK = [['val_accuracy', 'val'], ['accuracy', 'acc'], ['images', 'images']] as const;

/** The run's headline figure, or null while it has none (running, failed, or an unknown shape). */
export function keyMetric(run: RunRecord): KeyMetric | null {
  const result = run.result ?? {};
  for (const [field, label] of HEADLINES[run.command] ?? FALLBACK) {
    const value = result[field];
    if (typeof value === 'number' && Number.isFinite(value)) return { label, value, kind: label === 'images' ? 'count' : 'fraction' };
  }
  return null;
}

/** A path's last name; a model.json stands for its folder. Zoo ids come back unchanged. */
function shortPath(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '—';
  const trimmed = value.replace(/\/+$/, '');
  return basename(trimmed) === 'model.json' ? basename(dirname(trimmed)) : basename(trimmed);
}

export function modelName(run: RunRecord): string {
  return shortPath(run.config.model);
}

/** The labelled folder (`data`) or the image folder (`images`) the run read. */
export function dataName(run: RunRecord): string {
  return shortPath(run.config.data ?? run.config.images);
}

/** Nested objects become dotted keys, as configDiff names them; key order is kept. */
export function flatEntries(record: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(record).flatMap(([key, value]): [string, unknown][] => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return flatEntries(value as Record<string, unknown>, `${prefix}${key}.`);
    return value === undefined ? [] : [[`${prefix}${key}`, value]];
  });
}
