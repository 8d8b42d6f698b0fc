// Curves for the dashboard: a series squeezed to the columns there are, drawn with asciichart.
import asciichart from 'asciichart';

/** At most `width` points: consecutive points averaged in equal buckets, so the curve keeps its shape. */
export function fitSeries(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * values.length) / width);
    const to = Math.floor(((i + 1) * values.length) / width);
    const bucket = values.slice(from, Math.max(to, from + 1));
    out.push(bucket.reduce((a, b) => a + b, 0) / bucket.length);
  }
  return out;
}

/**
 * A line chart `height` rows high whose lines are at most `width` columns, labels included
 * (asciichart puts each label and a two-column axis before the points). Empty without points.
 */
export function lineChart(values: readonly number[], width: number, height: number, label: (x: number) => string): string[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [];
  // A flat series would give asciichart a zero range: it is drawn in a small band around its value.
  const [lo, hi] = [Math.min(...finite), Math.max(...finite)];
  const pad = hi > lo ? 0 : Math.max(Math.abs(lo) * 0.05, 0.01);
  const [min, max] = [lo - pad, hi + pad];
  const labelWidth = Math.max(label(min).length, label(max).length);
  const points = fitSeries(finite, Math.max(1, width - labelWidth - 2));
  const series = points.length === 1 ? [points[0]!, points[0]!] : points;
  const text = asciichart.plot(series, { height: Math.max(1, height - 1), min, max, padding: '', format: (x) => label(x).padStart(labelWidth) });
  return text.split('\n');
}
