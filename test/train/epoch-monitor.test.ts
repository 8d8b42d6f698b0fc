// Which epoch is best and when patience runs out, for either metric.
import test from 'node:test';
import assert from 'node:assert/strict';
import { EpochMonitor } from '../../src/train/epoch-monitor.js';

const feed = (monitor: EpochMonitor, epochs: [number, number][]) => epochs.map(([accuracy, loss], i) => monitor.observe(i + 1, { accuracy, loss }));

test('val_accuracy: the highest epoch is best, a tie does not improve, patience counts epochs since the best', () => {
  const m = new EpochMonitor('val_accuracy', 2);
  const j = feed(m, [[0.5, 1], [0.7, 0.9], [0.7, 0.5], [0.6, 0.4]]);
  assert.deepEqual(j.map((x) => x.improved), [true, true, false, false]);
  assert.deepEqual(j.map((x) => x.stop), [false, false, false, true]);
  assert.deepEqual(m.best, { epoch: 2, value: 0.7, accuracy: 0.7, loss: 0.9 });
});

test('val_loss: the lowest epoch is best; an improvement resets patience', () => {
  const m = new EpochMonitor('val_loss', 2);
  const j = feed(m, [[0.5, 1], [0.4, 1.2], [0.3, 0.8], [0.9, 0.85], [0.9, 0.9]]);
  assert.deepEqual(j.map((x) => x.improved), [true, false, true, false, false]);
  assert.deepEqual(j.map((x) => x.stop), [false, false, false, false, true]);
  assert.equal(m.best!.epoch, 3);
  assert.equal(m.best!.accuracy, 0.3, 'the best epoch carries its own accuracy, not the best accuracy seen');
});

test('a diverged epoch (NaN loss) never improves, and any number improves on it; no patience never stops', () => {
  const m = new EpochMonitor('val_loss');
  const j = feed(m, [[0.1, NaN], [0.1, 5], [0.1, NaN], [0.1, NaN], [0.1, NaN]]);
  assert.deepEqual(j.map((x) => x.improved), [true, true, false, false, false]);
  assert.ok(j.every((x) => !x.stop));
  assert.equal(m.best!.epoch, 2);
});
