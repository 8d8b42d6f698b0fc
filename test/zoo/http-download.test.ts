// The downloader against the test server, in process: the answers a resumed download can get.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFile } from '../../src/zoo/http-download.js';
import { RunError } from '../../src/errors.js';
import { SHARED_ASSETS } from '../helpers/assets.js';
import { startZooServer } from '../models/zoo-server.js';

const ORIGINAL = readFileSync(join(SHARED_ASSETS, 'models', 'darknet-tiny', 'group17-shard1of1'));
const newDir = () => mkdtempSync(join(tmpdir(), 'calibra-dl-'));

test('a partial file longer than the server\'s (416) is dropped and the file fetched whole', async () => {
  const server = await startZooServer({ d: 'darknet-tiny' });
  try {
    const dest = join(newDir(), 'shard');
    writeFileSync(`${dest}.part`, Buffer.alloc(ORIGINAL.length + 10));
    let counted = ORIGINAL.length + 10;
    const r = await downloadFile(new URL(`${server.url}/d/group17-shard1of1`), dest, { onBytes: (n) => (counted += n) });
    assert.deepEqual(server.requests.map((q) => [q.range, q.status]), [[`bytes=${ORIGINAL.length + 10}-`, 416], [null, 200]]);
    assert.deepEqual(readFileSync(dest), ORIGINAL);
    assert.equal(counted, ORIGINAL.length, 'the dropped bytes are taken back from the progress count');
    assert.deepEqual(r, { bytes: ORIGINAL.length, resumedFrom: 0 });
    assert.equal(existsSync(`${dest}.part`), false);
  } finally {
    await server.close();
  }
});

test('a file that changed on the server since the partial one was started is fetched whole (If-Range)', async () => {
  const server = await startZooServer({ d: 'darknet-tiny' });
  try {
    const dest = join(newDir(), 'shard');
    server.behaviour.stall = { path: '/d/group17-shard1of1', bytes: 100_000, drop: true };
    await assert.rejects(downloadFile(new URL(`${server.url}/d/group17-shard1of1`), dest), RunError);
    server.behaviour.stall = null;
    const changed = Buffer.from(ORIGINAL.map((b) => b ^ 0x55));
    server.behaviour.alter = { path: '/d/group17-shard1of1', mutate: () => changed };
    const r = await downloadFile(new URL(`${server.url}/d/group17-shard1of1`), dest);
    assert.equal(server.requests[1]!.status, 200);
    assert.match(server.requests[1]!.range ?? '', /^bytes=\d+-$/);
    assert.deepEqual(readFileSync(dest), changed);
    assert.equal(r.resumedFrom, 0);
  } finally {
    await server.close();
  }
});

test('an HTTP error is a RunError naming the URL and the status', async () => {
  const server = await startZooServer({});
  try {
    const url = `${server.url}/missing/model.json`;
    await assert.rejects(downloadFile(new URL(url), join(newDir(), 'm')), (e: Error) => e instanceof RunError && e.message === `${url}: HTTP 404 Not Found`);
  } finally {
    await server.close();
  }
});
