// The progress printer is a pure subscriber: fed events, it writes to the stream it is given.
import test from 'node:test';
import assert from 'node:assert/strict';
import { progressPrinter } from '../../src/cli/progress.js';
import type { RunEvent } from '../../src/events/run-events.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, write: (chunk: string) => chunks.push(chunk) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

const evalPass = (seen: number[], total: number): RunEvent[] => [
  { type: 'RunStarted', command: 'eval', backend: 'wasm', config: {}, totalSteps: 0, totalImages: total },
  ...seen.map((imagesSeen): RunEvent => ({ type: 'EvalProgress', imagesSeen, totalImages: total, imagesPerSecond: 500 })),
];

test('on a terminal, eval\'s last progress line is ended, so what follows starts a line of its own', () => {
  const { stream, text } = fakeStream(true);
  const print = progressPrinter(stream, 5000);
  for (const e of evalPass([1000, 2000], 2000)) print(e);
  print({ type: 'RunFinished', result: {} });
  assert.equal(text(), '\r\x1b[K1,000/2,000 images (50%)  500.0 img/s  ETA 2s\r\x1b[K2,000/2,000 images (100%)  500.0 img/s  ETA 0s\n');
});

test('on a terminal, a pass that ends short of its total (skipped files) is ended when the run ends', () => {
  const { stream, text } = fakeStream(true);
  const print = progressPrinter(stream, 5000);
  for (const e of evalPass([64, 98], 100)) print(e);
  assert.ok(!text().endsWith('\n'), 'the line is live while the pass runs');
  print({ type: 'RunFinished', result: {} });
  assert.ok(text().endsWith('98/100 images (98%)  500.0 img/s  ETA 0s\n'), JSON.stringify(text()));
});

test('on a pipe, lines are throttled, and the newest is printed before the next message and at the end', () => {
  const { stream, text } = fakeStream(false);
  const print = progressPrinter(stream, 60_000);
  for (const e of evalPass([10, 20, 30], 40)) print(e);
  assert.equal(text(), '10/40 images (25%)  500.0 img/s  ETA 0s\n', 'the first line, then nothing for a minute');
  print({ type: 'RunWarning', message: 'w' });
  print({ type: 'EvalProgress', imagesSeen: 35, totalImages: 40, imagesPerSecond: 500 });
  print({ type: 'RunFailed', error: 'boom' });
  assert.equal(text(), [
    '10/40 images (25%)  500.0 img/s  ETA 0s',
    '30/40 images (75%)  500.0 img/s  ETA 0s',
    'warning: w',
    '35/40 images (88%)  500.0 img/s  ETA 0s',
    '',
  ].join('\n'));
});

test('the printer does not announce the saved model (the command\'s summary does), and counts read with separators', () => {
  for (const tty of [true, false]) {
    const { stream, text } = fakeStream(tty);
    const print = progressPrinter(stream, 5000);
    print({ type: 'EpochEnded', epoch: 1, loss: 0.25, accuracy: 0.5, images: 1500, seconds: 3, imagesPerSecond: 500 });
    print({ type: 'ValidationEnded', epoch: 1, accuracy: 0.75, n: 2500 });
    print({ type: 'CheckpointSaved', path: '/out', contentHash: 'abc' });
    print({ type: 'DataSkipped', files: [{ path: '/d/x.png', reason: 'not an image' }] });
    assert.equal(text(), 'epoch 1: loss 0.2500  train acc 50.0%  (1,500 images, 3.0 s)\nepoch 1: val acc 75.0% (n=2,500)\nskipped 1 unreadable file:\n  /d/x.png: not an image\n', `isTTY ${tty}`);
  }
});
