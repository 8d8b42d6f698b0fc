// The run history as a person reads it: `runs list`, `runs show` and `runs compare`.
import type { RunComparison } from '../store/compare-runs.js';
import type { EpochRecord, RunRecord } from '../store/run-record.js';
import { shortIds } from '../store/run-ids.js';
import { dataName, flatEntries, keyMetric, modelName } from '../store/run-summary.js';
import { clip, columns, count, localStamp, percent } from './format.js';

/** A model or data name is never cut below this. */
const MIN_NAME = 6;

/** A value longer than this on a key: value line is summarised; --json has it whole. */
const VALUE_WIDTH = 60;

function metricText(run: RunRecord): string {
  const m = keyMetric(run);
  if (m === null) return '';
  return m.kind === 'count' ? `${count(m.value)} images` : `${m.label} ${percent(m.value)}`;
}

/** Widths for the model and data columns, sharing what the other columns leave of `width`. */
function nameWidths(width: number, fixed: readonly string[][], models: readonly string[], data: readonly string[]): [number, number] {
  const widest = (cells: readonly string[]) => Math.max(0, ...cells.map((c) => c.length));
  const others = fixed[0]!.map((_, i) => widest(fixed.map((row) => row[i]!))).reduce((a, b) => a + b, 0);
  const spare = width - others - 2 * (fixed[0]!.length + 1);
  const [m, d] = [widest(models), widest(data)];
  const dataWidth = Math.min(d, Math.max(MIN_NAME, spare - Math.min(m, Math.floor(spare / 2))));
  return [Math.min(m, Math.max(MIN_NAME, spare - dataWidth)), dataWidth];
}

/** Model and data names are cut so that a line fits `width` columns (a terminal's width; none on a pipe). */
export function listText(runs: readonly RunRecord[], width = Infinity): string {
  const short = shortIds(runs.map((r) => r.id));
  const header = ['id', 'when', 'command', 'model', 'data', 'status', 'result'];
  const fixed = [['id', 'when', 'command', 'status', 'result'], ...runs.map((r) => [short.get(r.id)!, localStamp(r.startedAt), r.command, r.status, metricText(r)])];
  const [modelWidth, dataWidth] = nameWidths(width, fixed, ['model', ...runs.map(modelName)], ['data', ...runs.map(dataName)]);
  const rows = runs.map((r, i) => {
    const [id, when, command, status, result] = fixed[i + 1]!;
    return [id!, when!, command!, clip(modelName(r), modelWidth), clip(dataName(r), dataWidth), status!, result!];
  });
  return columns([header, ...rows]).join('\n');
}

/** One value on a key: value line: numbers to 6 significant digits, long lists summarised. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? count(value) : String(Number(value.toPrecision(6)));
  const json = JSON.stringify(value);
  if (json.length <= VALUE_WIDTH) return json;
  return Array.isArray(value) ? `${count(value.length)} items (see --json)` : `${count(Object.keys(value as object).length)} fields (see --json)`;
}

function keyValueLines(entries: readonly [string, unknown][]): string[] {
  return columns(entries.map(([key, value]) => [`  ${key}:`, valueText(value)]));
}

const fraction = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '—' : percent(x));
const seconds = (s: number | undefined) => (s === undefined ? '—' : `${s.toFixed(1)} s`);

function epochTable(epochs: readonly EpochRecord[]): string[] {
  const rows = epochs.map((e) => [String(e.epoch), e.loss.toFixed(4), fraction(e.accuracy), fraction(e.valAccuracy), e.imagesPerSecond.toFixed(1), seconds(e.seconds)]);
  return columns([['epoch', 'loss', 'train acc', 'val acc', 'img/s', 'time'], ...rows], ['right', 'right', 'right', 'right', 'right', 'right']).map((l) => `  ${l}`);
}

export function showText(run: RunRecord): string {
  const lines = [
    `run ${run.id}: ${run.command}, ${run.status}`,
    `  started ${localStamp(run.startedAt)}, ${run.status === 'running' ? 'still running' : `${run.seconds.toFixed(1)} s`} on ${run.backend}`,
    ...(run.error ? [`  error: ${run.error}`] : []),
    'config',
    ...keyValueLines(flatEntries(run.config)),
  ];
  if (run.epochs.length > 0) lines.push('epochs', ...epochTable(run.epochs));
  if (run.result) lines.push('result', ...keyValueLines(Object.entries(run.result)));
  lines.push('lineage', ...keyValueLines([['parent model', run.lineage.parentModel], ['dataset', run.lineage.dataset], ['output model', run.lineage.outputModel]]));
  return lines.join('\n');
}

/** How each compared figure reads: fractions as percentages, counts with separators. */
const METRIC_LABELS: Record<string, [string, (x: number) => string]> = {
  loss: ['final loss', (x) => x.toFixed(4)],
  train_accuracy: ['train accuracy', (x) => percent(x)],
  val_accuracy: ['val accuracy', (x) => percent(x)],
  accuracy: ['accuracy', (x) => percent(x, 2)],
  images: ['images', count],
  images_per_second: ['images/s', (x) => x.toFixed(1)],
  seconds: ['seconds', (x) => x.toFixed(1)],
  epochs: ['epochs', count],
};

function runLine(tag: string, run: RunRecord): string[] {
  return [tag, run.id, run.command, run.status, localStamp(run.startedAt), modelName(run), dataName(run)];
}

export function compareText(a: RunRecord, b: RunRecord, c: RunComparison): string {
  const lines = columns([runLine('a', a), runLine('b', b)]);
  if (c.config.length === 0) lines.push('config: the same');
  else lines.push('config', ...columns([['', 'a', 'b'], ...c.config.map((d) => [d.key, valueText(d.a), valueText(d.b)])]).map((l) => `  ${l}`));
  const metricRows = Object.entries(c.metrics).map(([name, pair]) => {
    const [label, show] = METRIC_LABELS[name]!;
    return [label, pair.a === null ? '—' : show(pair.a), pair.b === null ? '—' : show(pair.b)];
  });
  lines.push('metrics', ...columns([['', 'a', 'b'], ...metricRows], ['left', 'right', 'right']).map((l) => `  ${l}`));
  if (c.epochs.length > 0) {
    const cells = (e: EpochRecord | null) => (e === null ? ['—', '—', '—'] : [e.loss.toFixed(4), fraction(e.accuracy), fraction(e.valAccuracy)]);
    const rows = c.epochs.map((p) => [String(p.epoch), ...cells(p.a), ...cells(p.b)]);
    lines.push('epochs', ...columns([['epoch', 'a loss', 'a train', 'a val', 'b loss', 'b train', 'b val'], ...rows], Array(7).fill('right')).map((l) => `  ${l}`));
  }
  return lines.join('\n');
}
