import test from 'node:test';
import assert from 'node:assert/strict';
import type { RunRequest } from '../../src/tui/run-port.js';
import { trainStepSchema } from '../../src/workflows/schema.js';
import { KEY, fakePort, renderApp, waitFor } from './harness.js';
import { stamp, trainEvents } from './events.js';
import { record } from './records.js';

const stopped = record({ id: '20261201-142000-ef56', status: 'stopped', result: null });
const resume: RunRequest = { steps: [{ kind: 'train', name: 'train', options: trainStepSchema.parse({ model: 'digits-resnet', data: '/d/inverted', out: '/d/out', resume: stopped.id }) }] };

async function resumeFromRuns(ui: ReturnType<typeof renderApp>) {
  await waitFor(ui.frame, 'Recent runs');
  await ui.press('r');
  await waitFor(ui.frame, /ef56/);
  await ui.press('s');
  return waitFor(ui.frame, /^ Dashboard — Resume 20261201-142000-ef56/);
}

test('dashboard mid-training: progress with ETA and img/s, loss and val-accuracy curves, the epoch table, the backend', async () => {
  const port = fakePort({ runs: [stopped], resume });
  const ui = renderApp(port);
  await resumeFromRuns(ui);
  assert.deepEqual(port.resumed, [stopped.id]);
  assert.deepEqual(port.calls[0]!.request.steps, resume.steps);
  port.calls[0]!.emit(stamp(trainEvents(false), { index: 0, name: 'train', runId: 'r1' }));
  const frame = await waitFor(ui.frame, /epoch 2\/2/);
  assert.match(frame, /running · native · run r1/);
  assert.match(frame, /epoch 2\/2 █+░+ +75% +4 img\/s +ETA 0:01/);
  assert.match(frame, / loss +val accuracy/);
  // The loss axis spans the steps' losses, 2.00 down to 1.00.
  assert.match(frame, /2\.00 [┤┼]/);
  assert.match(frame, /1\.00 [┤┼]/);
  assert.match(frame, /epoch +loss +acc +val +time +img\/s/);
  assert.match(frame, /1 +1\.750 +37\.5% +60\.0% +0:01 +8 +★ best/);
  assert.match(frame, /s stop \(checkpoint\) {2}esc back \(run continues\)/);
  const lines = frame.split('\n');
  assert.ok(lines.length <= 24);
  for (const l of lines) assert.ok(l.length <= 80, `wider than 80: ${l}`);
  ui.instance.unmount();
});

test('s stops the run through its abort signal; the stopped run shows its checkpoint and r resumes it', async () => {
  const port = fakePort({ runs: [stopped], resume });
  const ui = renderApp(port);
  await resumeFromRuns(ui);
  port.calls[0]!.emit(stamp(trainEvents(false), { index: 0, name: 'train', runId: 'r1' }));
  await waitFor(ui.frame, /epoch 2\/2/);
  await ui.press('s');
  assert.equal(port.calls[0]!.hooks.signal!.aborted, true);
  const frame = await waitFor(ui.frame, /stopped · native · run r1/);
  assert.match(frame, /■ train \(train\): stopped after epoch 1/);
  assert.match(frame, /wrote a checkpoint as it stopped: r resumes from it/);
  assert.doesNotMatch(frame, /✗/);
  assert.match(frame, /r resume/);
  await ui.press('r');
  await waitFor(ui.frame, /^ Dashboard — Resume r1/);
  assert.deepEqual(port.resumed, [stopped.id, 'r1']);
  assert.equal(port.calls.length, 2);
  ui.instance.unmount();
});

test('esc leaves a run going; ctrl+c anywhere then stops it (not the UI) and shows its dashboard', async () => {
  const port = fakePort({ runs: [stopped], resume });
  const ui = renderApp(port);
  await resumeFromRuns(ui);
  port.calls[0]!.emit(stamp(trainEvents(false), { index: 0, name: 'train', runId: 'r1' }));
  await ui.press(KEY.esc);
  await waitFor(ui.frame, /^ Runs/);
  await ui.press(KEY.esc);
  await waitFor(ui.frame, /d dashboard/);
  assert.equal(port.calls[0]!.hooks.signal!.aborted, false);
  await ui.press(KEY.ctrlC);
  assert.equal(port.calls[0]!.hooks.signal!.aborted, true);
  await waitFor(ui.frame, /stopped · native · run r1/);
  assert.equal(ui.quits(), 0);
  ui.instance.unmount();
});

test('q with a run in progress stops it and quits once it has ended', async () => {
  const port = fakePort({ runs: [stopped], resume });
  const ui = renderApp(port);
  await resumeFromRuns(ui);
  await ui.press(KEY.esc, KEY.esc);
  await waitFor(ui.frame, /d dashboard/);
  await ui.press('q');
  assert.equal(port.calls[0]!.hooks.signal!.aborted, true);
  await waitFor(() => String(ui.quits()), '1');
  ui.instance.unmount();
});
