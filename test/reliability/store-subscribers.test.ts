// The pieces the store relies on, checked alone: telling a dead process from a live one (pids
// are reused), settling dead runs, and a run-event stream that a failing subscriber cannot break.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { fanOut, type RunEvent } from '../../src/events/run-events.js';
import { currentProcess, processGone, startTicks } from '../../src/store/process-identity.js';
import { markDeadRunsKilled } from '../../src/store/reap.js';
import { deadPid, finishedRun, orphanRun } from './store-fixtures.js';

test('the start time is field 22 of /proc/PID/stat, even when the command name holds ") ("', () => {
  const rest = Array.from({ length: 50 }, (_, i) => String(i + 3)).join(' ');
  assert.equal(startTicks(`123 (a) (b c) ${rest}`), '22');
  assert.equal(startTicks(readFileSync('/proc/self/stat', 'utf8')), currentProcess().start!.split(':')[1]);
});

test('a process is gone when its pid is free or now names a later process; another host is never judged', () => {
  const me = currentProcess();
  assert.equal(processGone(me), false);
  assert.equal(processGone({ ...me, pid: deadPid() }), true);
  assert.equal(processGone({ ...me, start: `${me.start!.split(':')[0]}:1` }), true, 'same pid, other start: the pid was reused');
  assert.equal(processGone({ host: `${hostname()}-elsewhere`, pid: deadPid(), start: null }), false);
});

test('dead running runs become killed, ending when last seen; live and ended runs are left alone', () => {
  const dead = orphanRun('dead', '2026-01-01T00:00:00.000Z', '2026-01-01T00:02:30.000Z');
  const live = { ...orphanRun('live', '2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z'), process: currentProcess() };
  const ended = finishedRun('ended', '2026-01-01T00:00:00.000Z');
  const runs = [dead, live, ended];
  assert.equal(markDeadRunsKilled(runs, processGone), 1);
  assert.deepEqual(runs.map((r) => r.status), ['killed', 'running', 'finished']);
  assert.deepEqual([dead.finishedAt, dead.seconds], ['2026-01-01T00:02:30.000Z', 150]);
  assert.match(dead.error!, new RegExp(`process ${dead.process!.pid} on ${hostname()} ended without finishing`));
});

test('a subscriber that throws stops neither the stream nor the others, who hear of it as a warning', () => {
  const heard: RunEvent[] = [];
  const emit = fanOut(() => {
    throw new Error('display broke');
  }, (e) => heard.push(e));
  emit({ type: 'EpochStarted', epoch: 1, epochs: 2 });
  emit({ type: 'EpochStarted', epoch: 2, epochs: 2 });
  assert.deepEqual(heard, [
    { type: 'EpochStarted', epoch: 1, epochs: 2 },
    { type: 'RunWarning', message: 'a run-event subscriber failed on EpochStarted: display broke' },
    { type: 'EpochStarted', epoch: 2, epochs: 2 },
    { type: 'RunWarning', message: 'a run-event subscriber failed on EpochStarted: display broke' },
  ]);
});
