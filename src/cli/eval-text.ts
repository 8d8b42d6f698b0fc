// eval's report for a person: per-class scores, the confusion matrix, the misclassified files.
import { relative } from 'node:path';
import type { Confusion } from '../train/confusion.js';
import type { Misclassified } from '../train/evaluate.js';
import type { ClassScores } from '../train/metrics.js';
import { columns, count, percent } from './format.js';

/** Above this many classes the matrix no longer fits a terminal; --json has it. */
export const CONFUSION_MAX_CLASSES = 12;

export function perClassText(perClass: Record<string, ClassScores>): string[] {
  const rows = Object.entries(perClass).map(([name, s]) => [name, count(s.n), percent(s.accuracy), percent(s.precision), s.f1.toFixed(3)]);
  return columns([['class', 'n', 'accuracy', 'precision', 'F1'], ...rows], ['left', 'right', 'right', 'right', 'right']).map((l) => `  ${l}`);
}

/** Rows are the true classes, columns the predicted ones; null when there are too many classes. */
export function confusionText(c: Confusion): string[] | null {
  if (c.classes.length > CONFUSION_MAX_CLASSES) return null;
  const rows = c.classes.map((name, i) => [name, ...c.matrix[i]!.map(count)]);
  const table = columns([['true \\ predicted', ...c.classes], ...rows], ['left', ...c.classes.map(() => 'right' as const)]);
  return table.map((l) => `  ${l}`);
}

/** One line per wrong answer; paths relative to the folder that was scored. */
export function errorsText(errors: readonly Misclassified[], root: string): string[] {
  const rows = errors.map((e) => [relative(root, e.path) || e.path, e.true, e.predicted, percent(e.probability)]);
  return columns([['file', 'true', 'predicted', 'probability'], ...rows], ['left', 'left', 'left', 'right']).map((l) => `  ${l}`);
}
