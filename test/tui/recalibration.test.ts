import test from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.js';
import { DEFAULT_MIN_IMAGES } from '../../src/bn/min-images.js';
import { beforeAfter, recalibrationRequest, type RecalibrateForm } from '../../src/tui/recalibration.js';
import { initialRunState, runReducer } from '../../src/tui/run-state.js';
import { stamp } from './events.js';

const form: RecalibrateForm = { model: 'digits-resnet', images: ' /d/unlabelled ', target: '', mode: 'fast', groups: 'stem, block1,', minImages: '', out: '/d/out' };

test('without a labelled folder: one recalibrate step, built through the schema so its defaults apply', () => {
  const request = recalibrationRequest(form);
  assert.equal(request.inWorker, true);
  assert.deepEqual(request.steps, [{
    kind: 'recalibrate', name: 'recalibrate',
    options: { model: 'digits-resnet', images: '/d/unlabelled', out: '/d/out', mode: 'fast', groups: ['stem', 'block1'], batch: 32, minImages: DEFAULT_MIN_IMAGES, overwrite: false, trustWeights: false },
  }]);
  const all = recalibrationRequest({ ...form, groups: ' ' });
  assert.equal(all.steps[0]!.kind === 'recalibrate' && all.steps[0]!.options.groups, undefined);
});

test('with a labelled target folder: eval the model before, recalibrate, eval the result after', () => {
  const request = recalibrationRequest({ ...form, target: '/d/labelled' });
  assert.deepEqual(request.steps.map((s) => [s.name, s.kind, 'model' in s.options ? s.options.model : null]), [
    ['before', 'eval', 'digits-resnet'], ['recalibrate', 'recalibrate', 'digits-resnet'], ['after', 'eval', '/d/out'],
  ]);
  assert.deepEqual(request.steps.map((s) => ('data' in s.options ? s.options.data : null)), ['/d/labelled', null, '/d/labelled']);
});

test('min images: empty keeps the default floor, a number sets it, anything else names the flag', () => {
  const step = recalibrationRequest({ ...form, minImages: '30' }).steps[0]!;
  assert.equal(step.kind === 'recalibrate' && step.options.minImages, 30);
  assert.throws(() => recalibrationRequest({ ...form, minImages: 'many' }), (e: unknown) => e instanceof InputError && /^--min-images: /.test(e.message));
  assert.throws(() => recalibrationRequest({ ...form, minImages: '0' }), (e: unknown) => e instanceof InputError && /^--min-images: /.test(e.message));
});

test('an empty field is an input error naming its flag', () => {
  assert.throws(() => recalibrationRequest({ ...form, out: '' }), (e: unknown) => e instanceof InputError && /^--out: /.test(e.message));
  assert.throws(() => recalibrationRequest({ ...form, images: '' }), (e: unknown) => e instanceof InputError && /^--images: /.test(e.message));
});

test('before/after accuracy once both evals finished, from the steps by name', () => {
  const events = [
    ...stamp([{ type: 'RunStarted', command: 'eval', backend: 'wasm', config: {}, totalSteps: 0, totalImages: 30 }, { type: 'RunFinished', result: { accuracy: 0.5, n: 30 } }], { index: 0, name: 'before', runId: 'a' }),
    ...stamp([{ type: 'RunStarted', command: 'recalibrate', backend: 'wasm', config: {}, totalSteps: 0, totalImages: 30 }, { type: 'RunFinished', result: { images: 30 } }], { index: 1, name: 'recalibrate', runId: 'b' }),
    ...stamp([{ type: 'RunStarted', command: 'eval', backend: 'wasm', config: {}, totalSteps: 0, totalImages: 30 }], { index: 2, name: 'after', runId: 'c' }),
  ];
  const running = events.reduce(runReducer, initialRunState);
  assert.equal(beforeAfter(running.steps), null);
  const done = runReducer(running, stamp([{ type: 'RunFinished', result: { accuracy: 0.9, n: 30 } }], { index: 2, name: 'after', runId: 'c' })[0]!);
  assert.deepEqual(beforeAfter(done.steps), { before: 0.5, after: 0.9 });
});
