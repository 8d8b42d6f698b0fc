import test from 'node:test';
import assert from 'node:assert/strict';
import { KEY, fakePort, renderApp, waitFor } from './harness.js';
import { record } from './records.js';

const runs = [
  record({}),
  record({ id: '20261201-141000-cd34', startedAt: '2026-12-01T14:10:00.000Z', command: 'recalibrate', config: { model: 'digits-resnet', images: '/d/usps' }, result: { images: 300 } }),
  record({ id: '20261201-142000-ef56', startedAt: '2026-12-01T14:20:00.000Z', status: 'stopped', result: null }),
];

test('home: title, engine with threads, the actions, recent runs newest first with status and key metric, the footer', async () => {
  process.env.TZ = 'UTC';
  const ui = renderApp(fakePort({ runs }));
  const frame = await waitFor(ui.frame, 'engine: native · 2 threads');
  assert.match(frame, /Calibra 0\.1\.0 — BN-aware fine-tuning/);
  for (const action of ['n  Fine-tune a model', 'a  Recalibrate BN (AdaBN)', 'i  Inspect BN drift', 'r  Runs']) assert.ok(frame.includes(action), action);
  const lines = frame.split('\n');
  const runLines = lines.filter((l) => /[✓■✗▸] 12-01/.test(l));
  assert.equal(runLines.length, 3);
  assert.match(runLines[0]!, /■ 12-01 14:20 train .*stopped/);
  assert.match(runLines[1]!, /✓ 12-01 14:10 recal .*300 img/);
  assert.match(runLines[2]!, /✓ 12-01 14:02 train +digits-resnet→t.* val 76\.6%/);
  assert.match(lines.at(-1) === '' ? lines.at(-2)! : lines.at(-1)!, /n fine-tune {2}a recalibrate {2}i inspect {2}r runs {2}\? help {2}q quit/);
  assert.ok(lines.length <= 24, `${lines.length} lines`);
  for (const l of lines) assert.ok(l.length <= 80, `wider than 80: ${l}`);
  ui.instance.unmount();
});

test('home keys: n, a, i and r open the screens their titles name; esc comes back; ? toggles the help; q quits', async () => {
  const ui = renderApp(fakePort({ runs }));
  await waitFor(ui.frame, 'Recent runs');
  for (const [key, title] of [['n', 'Fine-tune'], ['a', 'Recalibrate'], ['i', 'Inspect'], ['r', 'Runs']] as const) {
    await ui.press(key);
    await waitFor(ui.frame, new RegExp(`^ ${title}`));
    await ui.press(KEY.esc);
    await waitFor(ui.frame, /^ Calibra 0\.1\.0/);
  }
  await ui.press('?');
  const help = await waitFor(ui.frame, /Help — Calibra/);
  assert.match(help, /ctrl\+c +stop the run in progress/);
  await ui.press('?');
  await waitFor(ui.frame, /^(?![\s\S]*Help —)/);
  assert.equal(ui.quits(), 0);
  await ui.press('q');
  assert.equal(ui.quits(), 1);
  ui.instance.unmount();
});

test('ctrl+c on home quits; elsewhere, with no run, it goes home', async () => {
  const ui = renderApp(fakePort({ runs }));
  await waitFor(ui.frame, 'Recent runs');
  await ui.press('r');
  await waitFor(ui.frame, /^ Runs/);
  await ui.press(KEY.ctrlC);
  await waitFor(ui.frame, /^ Calibra 0\.1\.0/);
  assert.equal(ui.quits(), 0);
  await ui.press(KEY.ctrlC);
  assert.equal(ui.quits(), 1);
  ui.instance.unmount();
});

test('a resize redraws to the new width and height', async () => {
  const ui = renderApp(fakePort({ runs }));
  await waitFor(ui.frame, 'Recent runs');
  ui.resize(60, 16);
  const frame = await waitFor(ui.frame, /./);
  await new Promise((r) => setTimeout(r, 50));
  const lines = ui.frame().split('\n');
  assert.ok(lines.length <= 16, `${lines.length} lines`);
  for (const l of lines) assert.ok(l.length <= 60, `wider than 60: ${l}`);
  assert.ok(frame.includes('q quit'));
  ui.instance.unmount();
});
