import test from 'node:test';
import assert from 'node:assert/strict';
import { clip, columns, count, localStamp, percent, plural } from '../../src/cli/format.js';

test('counts carry thousands separators; one of a thing is singular', () => {
  assert.equal(count(999), '999');
  assert.equal(count(1000), '1,000');
  assert.equal(count(1234567), '1,234,567');
  assert.equal(plural(1, 'step'), '1 step');
  assert.equal(plural(0, 'step'), '0 steps');
  assert.equal(plural(2, 'step'), '2 steps');
  assert.equal(plural(12000, 'image'), '12,000 images');
  assert.equal(percent(0.93125), '93.1%');
  assert.equal(percent(0.5, 2), '50.00%');
});

test('localStamp shows the time in the process\'s time zone, as MM-DD HH:MM', () => {
  const before = process.env.TZ;
  try {
    process.env.TZ = 'Asia/Kolkata';
    assert.equal(localStamp('2026-03-15T22:45:00.000Z'), '03-16 04:15', 'UTC+5:30 crosses midnight');
    process.env.TZ = 'America/New_York';
    assert.equal(localStamp('2026-07-01T03:05:00.000Z'), '06-30 23:05', 'EDT is UTC−4');
    assert.equal(localStamp('not a time'), '—');
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
});

test('columns align cells, right-align where asked, and leave no trailing spaces', () => {
  const lines = columns([['a', 'bb', 'c'], ['dddd', 'e', '']], ['left', 'right', 'left']);
  assert.deepEqual(lines, ['a     bb  c', 'dddd   e']);
  assert.equal(clip('unlabelled-target', 8), 'unlabel…');
  assert.equal(clip('short', 8), 'short');
});
