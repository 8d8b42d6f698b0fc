import test from 'node:test';
import assert from 'node:assert/strict';
import { KEY, fakePort, renderApp, waitFor } from './harness.js';
import { stamp } from './events.js';

const layer = (name: string, group: string, drift: number) => ({ name, group, drift, channels: 16, meanShift: 0.1, varRatio: 1.2 });
const result = {
  images: 30, backend: 'native', model: 'digits-resnet', modelHash: 'h', dataset: 'd', skipped: [],
  layers: [layer('stem_bn', 'stem', 2.4), layer('block1_1_bn1', 'block1', 1.2), layer('block1_1_bn2', 'block1', 0.7), layer('block2_1_bn1', 'block2', 0.2), layer('head_bn', 'head', 0.05)],
  advice: 'Drift is concentrated in the first groups (stem 2.40, block1 0.95); the later ones stay under 0.5. Recalibrate those.',
  adviceKind: 'early', adviceGroups: ['stem', 'block1'],
};

test('inspect: measures through the run API, draws drift bars grouped, the advice, and g recalibrates the drifting groups', async () => {
  const port = fakePort();
  const ui = renderApp(port);
  await waitFor(ui.frame, 'Recent runs');
  await ui.press('i');
  await waitFor(ui.frame, /^ Inspect/);
  await ui.press(KEY.down);
  await ui.type('/d/target');
  await ui.press(KEY.enter);
  await waitFor(() => String(port.calls.length), '1');
  const inspect = port.calls[0]!.request.steps[0]!;
  assert.ok(inspect.kind === 'inspect');
  assert.deepEqual([inspect.options.model, inspect.options.images, inspect.options.batch], ['digits-resnet', '/d/target', 32]);
  port.calls[0]!.emit(stamp([
    { type: 'RunStarted', command: 'inspect', backend: 'native', config: {}, totalSteps: 0, totalImages: 30 },
    { type: 'EvalProgress', imagesSeen: 15, totalImages: 30, imagesPerSecond: 15 },
  ], { index: 0, name: 'inspect', runId: 'i1' }));
  await waitFor(ui.frame, /50% +15 img\/s +ETA 0:01/);
  port.calls[0]!.emit(stamp([{ type: 'RunFinished', result }], { index: 0, name: 'inspect', runId: 'i1' }));
  port.calls[0]!.resolve();
  const frame = await waitFor(ui.frame, /Advice: Drift is concentrated/);
  const lines = frame.split('\n');
  const at = (text: string) => lines.findIndex((l) => l.includes(text));
  assert.ok(at('stem (mean 2.40)') < at('stem_bn') && at('stem_bn') < at('block1 (mean 0.95)') && at('block1 (mean 0.95)') < at('block1_1_bn1'), frame);
  const cells = (text: string) => [...lines[at(text)]!].filter((c) => c === '█').length;
  assert.ok(cells('stem_bn') > cells('block1_1_bn1') && cells('block1_1_bn1') > cells('block2_1_bn1'), frame);
  assert.match(lines[at('stem_bn')]!, /2\.40$/);
  assert.match(frame, /g recalibrates stem, block1/);
  for (const l of lines) assert.ok(l.length <= 80, `wider than 80: ${l}`);

  await ui.press('g');
  await waitFor(ui.frame, /^ Dashboard — Recalibrate digits-resnet on \/d\/target \(stem,block1\)/);
  const recal = port.calls[1]!.request.steps[0]!;
  assert.ok(recal.kind === 'recalibrate');
  assert.deepEqual([recal.options.groups, recal.options.images, recal.options.out, recal.options.mode], [['stem', 'block1'], '/d/target', '/d/target-adabn', 'exact']);
  // Under the dashboard lies the filled form, to change and run again.
  port.calls[1]!.reject(new Error('stopped'));
  await ui.press(KEY.esc);
  const form = await waitFor(ui.frame, /^ Recalibrate/);
  assert.match(form, /Groups +stem,block1/);
  assert.match(form, /Out +\/d\/target-adabn/);
  ui.instance.unmount();
});
