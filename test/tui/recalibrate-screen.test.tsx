import test from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.js';
import { KEY, fakePort, renderApp, waitFor } from './harness.js';
import { stamp } from './events.js';

const tree = { '/d/': [{ name: 'unlabelled', isDirectory: true }, { name: 'labelled', isDirectory: true }] };

/** Fills the Recalibrate form: images by tab completion, a labelled target, fast mode, an out folder. */
async function fillForm(ui: ReturnType<typeof renderApp>) {
  await waitFor(ui.frame, 'Recent runs');
  await ui.press('a');
  await waitFor(ui.frame, /^ Recalibrate/);
  await ui.press(KEY.down);
  await ui.type('/d/u');
  await ui.press(KEY.tab);
  await waitFor(ui.frame, '/d/unlabelled/');
  await ui.press(KEY.down);
  await ui.type('/d/labelled');
  await ui.press(KEY.down, KEY.right, KEY.down, KEY.down, KEY.down);
  await ui.type('/d/out');
  await waitFor(ui.frame, /\[fast\]/);
}

test('recalibrate: the form builds eval before, AdaBN, eval after; the dashboard follows progress and shows the gain', async () => {
  const port = fakePort();
  const ui = renderApp(port, tree);
  await fillForm(ui);
  await ui.press(KEY.enter);
  await waitFor(ui.frame, /^ Dashboard — Recalibrate digits-resnet on \/d\/unlabelled\//);
  assert.equal(port.calls.length, 1);
  const { request, hooks } = port.calls[0]!;
  assert.equal(request.inWorker, true);
  assert.ok(hooks.signal instanceof AbortSignal);
  assert.deepEqual(request.steps.map((s) => [s.name, s.kind]), [['before', 'eval'], ['recalibrate', 'recalibrate'], ['after', 'eval']]);
  const recal = request.steps[1]!;
  assert.ok(recal.kind === 'recalibrate');
  assert.deepEqual([recal.options.images, recal.options.out, recal.options.mode, recal.options.groups], ['/d/unlabelled/', '/d/out', 'fast', undefined]);

  const call = port.calls[0]!;
  call.emit([
    ...stamp([
      { type: 'RunStarted', command: 'eval', backend: 'native', config: {}, totalSteps: 0, totalImages: 30 },
      { type: 'RunFinished', result: { accuracy: 0.5, n: 30 } },
    ], { index: 0, name: 'before', runId: 'e1' }),
    ...stamp([
      { type: 'RunStarted', command: 'recalibrate', backend: 'native', config: {}, totalSteps: 0, totalImages: 40 },
      { type: 'RecalibrationProgress', mode: 'exact', imagesDone: 20, totalImages: 40, imagesPerSecond: 20, layer: 'block1_bn', layerIndex: 2, layers: 4 },
    ], { index: 1, name: 'recalibrate', runId: 'c1' }),
  ]);
  // 60 of 160 image visits at 20/s: 100 to go, 5 s.
  const mid = await waitFor(ui.frame, /BN 2\/4 block1_bn/);
  assert.match(mid, /✓ before \(eval\): accuracy 50\.0% on 30 images/);
  assert.match(mid, /█+░+ +38% +20 img\/s +ETA 0:05/);
  assert.match(mid, /s stop \(checkpoint\)/);

  call.emit([
    ...stamp([{ type: 'RunFinished', result: { layers: 4, images: 40, out: '/d/out' } }], { index: 1, name: 'recalibrate', runId: 'c1' }),
    ...stamp([
      { type: 'RunStarted', command: 'eval', backend: 'native', config: {}, totalSteps: 0, totalImages: 30 },
      { type: 'RunFinished', result: { accuracy: 0.9, n: 30 } },
    ], { index: 2, name: 'after', runId: 'e2' }),
  ]);
  call.resolve();
  const done = await waitFor(ui.frame, /accuracy before 50\.0% → after 90\.0% \(\+40\.0 points\)/);
  assert.match(done, /finished · native · run e2/);
  assert.match(done, /✓ recalibrate \(recalibrate\): 4 BN layers from 40 images → \/d\/out/);
  assert.doesNotMatch(done, /s stop/);
  ui.instance.unmount();
});

test('a run that fails on bad input shows the message and the fix inside the UI; esc goes back to the filled form', async () => {
  const port = fakePort();
  const ui = renderApp(port, tree);
  await fillForm(ui);
  await ui.press(KEY.enter);
  await waitFor(ui.frame, /^ Dashboard/);
  port.calls[0]!.reject(new InputError('--images /d/unlabelled/: no images (looked for .jpg, .png, .webp, .gif, .tif, flat or nested)'));
  const frame = await waitFor(ui.frame, /✗ --images \/d\/unlabelled\/: no images/);
  assert.match(frame, /fix: esc, then change the Unlabelled\/Images field and run again/);
  assert.doesNotMatch(frame, /at .*\.js:\d+/);
  await ui.press(KEY.esc);
  const form = await waitFor(ui.frame, /^ Recalibrate/);
  assert.match(form, /\/d\/labelled/);
  ui.instance.unmount();
});

test('an empty out field is refused before anything runs, naming the field to fill', async () => {
  const port = fakePort();
  const ui = renderApp(port, tree);
  await waitFor(ui.frame, 'Recent runs');
  await ui.press('a');
  await waitFor(ui.frame, /^ Recalibrate/);
  await ui.press(KEY.down);
  await ui.type('/d/unlabelled');
  await ui.press(KEY.enter);
  const frame = await waitFor(ui.frame, /✗ --out: /);
  assert.match(frame, /fix: change the Out field and press enter/);
  assert.equal(port.calls.length, 0);
  ui.instance.unmount();
});
