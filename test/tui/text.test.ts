import test from 'node:test';
import assert from 'node:assert/strict';
import { bar, clock, fit } from '../../src/tui/text.js';
import { fitSeries, lineChart } from '../../src/tui/chart.js';

test('bar: filled cells round down, clamp to 0–1, and keep the width', () => {
  assert.equal(bar(0.5, 10), '█████░░░░░');
  assert.equal(bar(0.999, 10), '█████████░');
  assert.equal(bar(1.7, 4), '████');
  assert.equal(bar(-1, 4), '░░░░');
  assert.equal(bar(Number.NaN, 3), '░░░');
});

test('clock: m:ss under an hour, h:mm:ss from one, a dash when unknown', () => {
  assert.equal(clock(21), '0:21');
  assert.equal(clock(61.6), '1:02');
  assert.equal(clock(3600 + 5 * 60 + 9), '1:05:09');
  assert.equal(clock(null), '—');
  assert.equal(clock(Number.POSITIVE_INFINITY), '—');
});

test('fit: cut with an ellipsis or padded to exactly the width', () => {
  assert.equal(fit('abc', 5), 'abc  ');
  assert.equal(fit('abcdef', 4), 'abc…');
  assert.equal(fit('x', 0), '');
});

test('fitSeries: averages equal buckets, keeps a short series as it is', () => {
  assert.deepEqual(fitSeries([1, 2, 3], 5), [1, 2, 3]);
  assert.deepEqual(fitSeries([1, 3, 5, 7, 9, 11], 3), [2, 6, 10]);
  assert.deepEqual(fitSeries([0, 0, 0, 6, 6], 2), [0, 4]);
});

test('lineChart: as many rows as asked, no line wider than asked, labels at the extremes, a flat series drawn', () => {
  const lines = lineChart(Array.from({ length: 200 }, (_, i) => 2 - i / 100), 30, 4, (x) => x.toFixed(2));
  assert.equal(lines.length, 4);
  for (const l of lines) assert.ok(l.length <= 30, `${JSON.stringify(l)} is wider than 30`);
  assert.match(lines[0]!, /^2\.00 /);
  assert.match(lines[3]!, /^0\.0[01] /);
  const flat = lineChart([0.5], 20, 3, (x) => x.toFixed(2));
  assert.equal(flat.length, 3);
  assert.ok(flat.some((l) => l.startsWith('0.50')), flat.join('\n'));
  assert.deepEqual(lineChart([], 20, 3, String), []);
});
