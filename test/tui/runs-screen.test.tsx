import test from 'node:test';
import assert from 'node:assert/strict';
import { KEY, fakePort, renderApp, waitFor } from './harness.js';
import { stamp, trainEvents } from './events.js';
import { record } from './records.js';

const a = record({
  id: '20261201-140211-ab12', config: { model: 'digits-resnet', data: '/d/textured', lr: 0.001, epochs: 2 },
  epochs: [{ epoch: 1, loss: 1.75, accuracy: 0.375, imagesPerSecond: 8, valAccuracy: 0.6 }, { epoch: 2, loss: 0.75, accuracy: 0.875, imagesPerSecond: 4, valAccuracy: 0.5 }],
  result: { val_accuracy: 0.6, train_accuracy: 0.875, loss: 0.75 },
});
const b = record({ id: '20261201-150000-cd34', startedAt: '2026-12-01T15:00:00.000Z', config: { model: 'digits-resnet', data: '/d/textured', lr: 0.01, epochs: 2 }, result: { val_accuracy: 0.7, train_accuracy: 0.9, loss: 0.5 } });

test('runs: newest first; enter shows the whole record; p replays the stored curves through the run reducer', async () => {
  process.env.TZ = 'UTC';
  const port = fakePort({ runs: [a, b], events: { [a.id]: stamp(trainEvents(), { index: 0, name: 'train', runId: a.id }) } });
  const ui = renderApp(port);
  await waitFor(ui.frame, 'Recent runs');
  await ui.press('r');
  const list = await waitFor(ui.frame, /cd34/);
  const rows = list.split('\n').filter((l) => /ab12|cd34/.test(l));
  assert.match(rows[0]!, /cd34 +12-01 15:00 +train +finished +val 70\.0%/);
  assert.match(rows[1]!, /ab12 +12-01 14:02 +train +finished +val 60\.0%/);
  await ui.press(KEY.down, KEY.enter);
  const details = await waitFor(ui.frame, /run 20261201-140211-ab12: train, finished/);
  assert.match(details, /^ Runs ▸ 20261201-140211-ab12/);
  assert.match(details, /lr: +0\.001/);
  await ui.press('p');
  const replay = await waitFor(ui.frame, /finished · native · run 20261201-140211-ab12/);
  assert.match(replay, /^ Runs ▸ replay 20261201-140211-ab12/);
  assert.match(replay, /val accuracy/);
  assert.match(replay, /2 +0\.750 +87\.5% +50\.0%/);
  assert.match(replay, /1 +1\.750 +37\.5% +60\.0% .*★ best/);
  ui.instance.unmount();
});

test('runs: c on two runs compares them side by side, metrics and the settings that differ', async () => {
  const port = fakePort({ runs: [a, b] });
  const ui = renderApp(port);
  await waitFor(ui.frame, 'Recent runs');
  await ui.press('r');
  await waitFor(ui.frame, /cd34/);
  // ↓ and c in one chunk, as a fast typist or a paste sends them: c marks the run ↓ moved to.
  await ui.press(`${KEY.down}c`);
  await waitFor(ui.frame, /comparing with ab12/);
  await ui.press(KEY.up, 'c');
  const frame = await waitFor(ui.frame, /val accuracy +60/);
  assert.match(frame, /^ Runs ▸ compare/);
  assert.match(frame, /a 20261201-140211-ab12 +b 20261201-150000-cd34/);
  assert.match(frame, /val accuracy +60\.0% +70\.0%/);
  assert.match(frame, /final loss +0\.7500 +0\.5000/);
  assert.match(frame, /config \(1 settings differ\)/);
  assert.match(frame, /lr +0\.001 +0\.01/);
  assert.doesNotMatch(frame, /^ epochs +2 +2/m);
  ui.instance.unmount();
});

test('runs: a replay of a run without stored events says so, with what to do instead', async () => {
  const port = fakePort({ runs: [b] });
  const ui = renderApp(port);
  await waitFor(ui.frame, 'Recent runs');
  await ui.press('r');
  await waitFor(ui.frame, /cd34/);
  await ui.press('p');
  const frame = await waitFor(ui.frame, /has no stored events/);
  assert.match(frame, /fix: runs recorded before event storage can still be read in details/);
  ui.instance.unmount();
});
