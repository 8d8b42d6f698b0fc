import test from 'node:test';
import assert from 'node:assert/strict';
import { byteSize, downloadLine, downloadProgress } from '../../src/cli/download-progress.js';

test('byte sizes in decimal units, one decimal past bytes', () => {
  assert.equal(byteSize(0), '0 B');
  assert.equal(byteSize(999), '999 B');
  assert.equal(byteSize(1000), '1.0 KB');
  assert.equal(byteSize(2_160_432), '2.2 MB');
  assert.equal(byteSize(4_200_000_000), '4.2 GB');
});

test('a download line: done of total with the floor of the percentage, and the rate; without a total, bytes and rate', () => {
  assert.equal(downloadLine('tm', 1_080_216, 2_160_432, 850_000), 'tm: 1.1 MB of 2.2 MB (50%)  850.0 KB/s');
  assert.equal(downloadLine('tm', 2_160_431, 2_160_432, 0), 'tm: 2.2 MB of 2.2 MB (99%)  0 B/s');
  assert.equal(downloadLine('x', 5_000, null, 1_500), 'x: 5.0 KB  1.5 KB/s');
});

test('on a pipe, a line per interval and the newest one at the end', () => {
  const written: string[] = [];
  const stream = { isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
  const p = downloadProgress('m', stream, 60_000);
  p.update(0, 100, 0);
  p.update(50, 100, 50);
  p.update(100, 100, 100);
  assert.equal(written.length, 1, 'the updates inside the interval wait');
  assert.match(written[0]!, /^m: 0 B of 100 B \(0%\)/);
  p.end();
  assert.equal(written.length, 2);
  assert.match(written[1]!, /^m: 100 B of 100 B \(100%\) .*\n$/);
});
