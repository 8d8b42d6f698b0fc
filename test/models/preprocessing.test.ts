import test from 'node:test';
import assert from 'node:assert/strict';
import { describePreprocessing, inferPreprocessing, parsePreprocess, parsePreprocessSpec, withPreprocess, manifestPreprocessingNote } from '../../src/models/preprocessing.js';
import { recogniseArchitecture } from '../../src/models/architecture.js';
import { parseStep } from '../../src/workflows/schema.js';
import { InputError } from '../../src/errors.js';
import type { Manifest } from '../../src/models/manifest.js';

/** What the model sees for a pixel value on each channel. */
const input = (p: ReturnType<typeof parsePreprocess>, pixel: number) => p.scale.map((s, c) => pixel * s + p.offset[c]!);
const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) < 1e-6);

test('named presets map pixels 0 and 255 to their ranges', () => {
  assert.ok(near(input(parsePreprocess('0-1', 'squash'), 255), [1, 1, 1]));
  assert.ok(near(input(parsePreprocess('-1-1', 'squash'), 0), [-1, -1, -1]));
  assert.ok(near(input(parsePreprocess('tf', 'squash'), 255), [1, 1, 1]));
  const imagenet = parsePreprocess('imagenet', 'center-crop');
  assert.equal(imagenet.resize, 'center-crop', 'the model\'s resize mode is kept');
  // torchvision: (x/255 − mean)/std with mean 0.485,0.456,0.406 and std 0.229,0.224,0.225.
  assert.ok(near(input(imagenet, 255), [(1 - 0.485) / 0.229, (1 - 0.456) / 0.224, (1 - 0.406) / 0.225]));
  assert.ok(near(input(imagenet, 0), [-0.485 / 0.229, -0.456 / 0.224, -0.406 / 0.225]));
  assert.deepEqual(parsePreprocess('torch', 'squash'), { ...imagenet, resize: 'squash' });
});

test('mean=…/std=… gives (pixel/255 − mean)/std per channel', () => {
  const p = parsePreprocess('mean=0.5,0.25,0/std=0.5,0.25,1', 'squash');
  assert.ok(near(input(p, 51), [(0.2 - 0.5) / 0.5, (0.2 - 0.25) / 0.25, 0.2]));
});

test('bad --preprocess values are InputErrors naming the flag', () => {
  for (const bad of ['0-255', 'mean=1,2/std=1,1,1', 'mean=0,0,0/std=1,0,1', 'mean=a,b,c/std=1,1,1', '']) {
    assert.throws(() => parsePreprocess(bad, 'squash'), (e: Error) => e instanceof InputError && e.message.startsWith('--preprocess'), bad);
  }
  const issue = parseStep({ eval: { model: 'm', data: 'd', preprocess: '0-255' } });
  assert.deepEqual('path' in issue ? issue.path : null, ['eval', 'preprocess']);
  const ok = parseStep({ train: { model: 'm', data: 'd', out: 'o', preprocess: 'imagenet', classMap: { ants: 'ant' } } });
  assert.ok('kind' in ok && ok.kind === 'train' && ok.options.preprocess === 'imagenet');
});

test('descriptions name the presets and spell out anything else', () => {
  assert.equal(describePreprocessing(parsePreprocess('0-1', 'squash')), '[0,1]');
  assert.equal(describePreprocessing(parsePreprocess('-1-1', 'squash')), '[-1,1]');
  assert.equal(describePreprocessing(parsePreprocess('imagenet', 'squash')), 'imagenet mean/std');
  assert.equal(describePreprocessing({ resize: 'squash', scale: [0.5, 0.5, 0.5], offset: [1, 2, 3] }), 'pixel × (0.5,0.5,0.5) + (1,2,3)');
});

test('inference order: Teachable Machine metadata, then a recognised architecture, then a guess of [0,1]', () => {
  assert.deepEqual(inferPreprocessing(true, 'darknet'), { preprocessing: parsePreprocess('-1-1', 'squash'), source: 'metadata' });
  assert.deepEqual(inferPreprocessing(false, 'darknet'), { preprocessing: parsePreprocess('0-1', 'squash'), source: 'architecture' });
  assert.deepEqual(inferPreprocessing(false, 'keras-mobilenet-v2'), { preprocessing: parsePreprocess('-1-1', 'squash'), source: 'architecture' });
  assert.deepEqual(inferPreprocessing(false, null), { preprocessing: parsePreprocess('0-1', 'squash'), source: 'guess' });
});

test('architectures are recognised by Keras layer names or the Darknet conv/BN/LeakyReLU pattern', () => {
  const L = (name: string, className: string) => ({ name, className });
  assert.equal(recogniseArchitecture([L('Conv1', 'Conv2D'), L('block_1_expand', 'Conv2D')]), 'keras-mobilenet-v2');
  assert.equal(recogniseArchitecture([L('conv1', 'Conv2D'), L('conv_pw_1', 'Conv2D')]), 'keras-mobilenet');
  const unit = (i: number) => [L(`c${i}`, 'Conv2D'), L(`b${i}`, 'BatchNormalization'), L(`a${i}`, 'LeakyReLU')];
  const darknet = [...unit(1), L('p', 'MaxPooling2D'), ...unit(2), ...unit(3), L('cls', 'Conv2D'), L('gap', 'GlobalAveragePooling2D')];
  assert.equal(recogniseArchitecture(darknet), 'darknet');
  assert.equal(recogniseArchitecture([...darknet, L('r', 'ReLU')]), null, 'a ReLU anywhere: not Darknet');
  assert.equal(recogniseArchitecture([...unit(1), ...unit(2), L('p', 'MaxPooling2D')]), null, 'two units are too few to tell');
});

test('--preprocess overrides the manifest and the note says so; a guess is a warning', () => {
  const manifest = { preprocessing: parsePreprocess('0-1', 'letterbox'), preprocessingSource: 'guess', architecture: null } as unknown as Manifest;
  assert.match(manifestPreprocessingNote(manifest), /^warning: preprocessing: \[0,1\] from a guess; .*--preprocess/);
  const overridden = withPreprocess(manifest, '-1-1');
  assert.equal(manifestPreprocessingNote(overridden), 'preprocessing: [-1,1] from --preprocess');
  assert.equal(overridden.preprocessing.resize, 'letterbox');
  assert.equal(manifestPreprocessingNote({ ...manifest, preprocessingSource: undefined }), 'preprocessing: [0,1] from the Calibra manifest');
});

test('--preprocess takes a resize mode alone, or after the scaling', () => {
  assert.deepEqual(parsePreprocessSpec('center-crop-0.875'), { scaling: null, resize: 'center-crop-0.875' });
  const both = parsePreprocessSpec('-1-1,letterbox');
  assert.equal(both.resize, 'letterbox');
  assert.ok(both.scaling && near(input({ ...both.scaling, resize: 'squash' }, 0), [-1, -1, -1]));
  const meanStd = parsePreprocessSpec('mean=0.5,0.25,0/std=0.5,0.25,1,center-crop');
  assert.equal(meanStd.resize, 'center-crop');
  assert.ok(meanStd.scaling && near(input({ ...meanStd.scaling, resize: 'squash' }, 51), [(0.2 - 0.5) / 0.5, (0.2 - 0.25) / 0.25, 0.2]));
  assert.deepEqual(parsePreprocessSpec('imagenet'), { scaling: { scale: parsePreprocess('imagenet', 'squash').scale, offset: parsePreprocess('imagenet', 'squash').offset }, resize: null });
  for (const bad of ['0-1,crop', 'center-crop,0-1', ',center-crop', '0-1,', 'center-crop,letterbox']) {
    assert.throws(() => parsePreprocessSpec(bad), (e: Error) => e instanceof InputError && e.message.startsWith(`--preprocess ${bad}:`), bad);
  }
  const step = parseStep({ recalibrate: { model: 'm', images: 'i', out: 'o', preprocess: 'center-crop-0.875' } });
  assert.ok('kind' in step && step.kind === 'recalibrate' && step.options.preprocess === 'center-crop-0.875');
  const issue = parseStep({ recalibrate: { model: 'm', images: 'i', out: 'o', preprocess: 'crop' } });
  assert.deepEqual('path' in issue ? issue.path : null, ['recalibrate', 'preprocess']);
});

test('a resize-only --preprocess keeps the scaling and its source, and the note names the resize', () => {
  const manifest = { preprocessing: parsePreprocess('0-1', 'squash'), preprocessingSource: 'architecture', architecture: { recognised: 'darknet' } } as unknown as Manifest;
  const cropped = withPreprocess(manifest, 'center-crop-0.875');
  assert.deepEqual(cropped.preprocessing, { ...manifest.preprocessing, resize: 'center-crop-0.875' });
  assert.equal(manifestPreprocessingNote(cropped), 'preprocessing: [0,1] from the recognised architecture (darknet); resize center-crop-0.875 from --preprocess');
  const both = withPreprocess(manifest, 'imagenet,letterbox');
  assert.equal(manifestPreprocessingNote(both), 'preprocessing: imagenet mean/std from --preprocess; resize letterbox from --preprocess');
  assert.equal(manifestPreprocessingNote(withPreprocess(manifest, '-1-1')), 'preprocessing: [-1,1] from --preprocess', 'a scaling alone leaves the resize unmentioned');
});
