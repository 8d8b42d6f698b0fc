// `models pull` through the real binary against a local HTTP server serving the shared models:
// a pull that lands and evaluates like the original, a killed pull resumed with Range, a server
// without Range, a corrupt or truncated file refused, an unreachable host, an unknown name.
import test from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HYMENOPTERA, DARKNET_TINY } from '../helpers/assets.js';
import { runCli, startCli } from '../reliability/store-fixtures.js';
import { assetHashes, sha256, startZooServer, type ZooServer } from './zoo-server.js';

const DARKNET_FILES = ['model.json', 'classes.json', ...JSON.parse(readFileSync(join(DARKNET_TINY, 'model.json'), 'utf8')).weightsManifest.flatMap((g: { paths: string[] }) => g.paths) as string[]];

interface Setup {
  home: string;
  env: Record<string, string>;
  server: ZooServer;
}

/** A fresh CALIBRA_HOME, a server, and a catalog file naming the served models. */
async function setup(entries: (url: string) => object[]): Promise<Setup> {
  const home = mkdtempSync(join(tmpdir(), 'calibra-zoo-'));
  const server = await startZooServer({ 'darknet-tiny': 'darknet-tiny', 'tm': 'mobilenet-v2-0.35-tm', 'mobilenet-v2-0.35-224-tm': 'mobilenet-v2-0.35-tm' });
  const catalog = join(home, 'catalog.json');
  writeFileSync(catalog, JSON.stringify({ models: entries(server.url) }));
  return { home, server, env: { CALIBRA_ZOO_CATALOG: catalog } };
}

const darknetEntry = (url: string, sha256s: Record<string, string> | undefined = assetHashes('darknet-tiny', DARKNET_FILES)) =>
  ({ name: 'darknet-tiny', url: `${url}/darknet-tiny/model.json`, extraFiles: ['classes.json'], ...(sha256s ? { sha256: sha256s } : {}) });
const tmEntry = (url: string) => ({ name: 'tm', url: `${url}/tm/model.json`, extraFiles: ['metadata.json'] });

async function registered(s: Setup): Promise<string[]> {
  const r = await runCli(['models', '--json'], s.home, s.env);
  assert.equal(r.code, 0, r.stderr);
  return (r.json!.models as { id: string; origin: string }[]).filter((m) => m.origin !== 'shipped').map((m) => m.id);
}

const waitFor = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const sizeOf = (path: string) => (existsSync(path) ? statSync(path).size : -1);

test('pull with catalog sha256s: the files are the originals, the model is listed and evaluates as the original does', async () => {
  const s = await setup((url) => [darknetEntry(url)]);
  try {
    const r = await runCli(['models', 'pull', 'darknet-tiny', '--json'], s.home, s.env);
    assert.equal(r.code, 0, r.stderr);
    const want = assetHashes('darknet-tiny', DARKNET_FILES);
    const got = Object.fromEntries((r.json!.files as { path: string; sha256: string }[]).map((f) => [f.path, f.sha256]));
    for (const f of DARKNET_FILES) assert.equal(got[f], want[f], f);
    assert.match(r.stderr, /darknet-tiny: 4\.2 MB of 4\.2 MB \(100%\)/);
    const list = await runCli(['models', '--json'], s.home, s.env);
    const entry = (list.json!.models as Record<string, any>[]).find((m) => m.id === 'darknet-tiny')!;
    assert.equal(entry.origin, 'pull');
    assert.equal(entry.path, join(s.home, 'models', 'darknet-tiny', 'model.json'));
    assert.deepEqual([entry.bnLayers, entry.classes.length, entry.classes[223], entry.inputShape], [15, 1000, 'ant', [224, 224, 3]]);
    assert.equal(existsSync(join(s.home, 'models', '.darknet-tiny.download')), false, 'the download folder is gone');

    const data = mkdtempSync(join(tmpdir(), 'calibra-zoo-data-'));
    for (const cls of ['ants', 'bees']) {
      mkdirSync(join(data, cls));
      for (const f of readdirSync(join(HYMENOPTERA, 'val', cls)).slice(0, 3)) copyFileSync(join(HYMENOPTERA, 'val', cls, f), join(data, cls, f));
    }
    const evalArgs = (model: string) => ['eval', '--model', model, '--data', data, '--class-map', 'ants=ant,bees=bee', '--no-record', '--json'];
    const pulled = await runCli(evalArgs('darknet-tiny'), s.home, s.env);
    const original = await runCli(evalArgs(DARKNET_TINY), s.home, s.env);
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.equal(original.code, 0, original.stderr);
    assert.equal(pulled.json!.n, 6);
    assert.deepEqual(pulled.json!.perClass, original.json!.perClass);
    assert.equal(pulled.json!.accuracy, original.json!.accuracy);
  } finally {
    await s.server.close();
  }
});

test('a pull killed mid-file resumes with a Range request from the bytes on disk, which are not sent again', async () => {
  const s = await setup((url) => [tmEntry(url)]);
  try {
    const total = statSync(join(DARKNET_TINY, '..', 'mobilenet-v2-0.35-tm', 'weights.bin')).size;
    s.server.behaviour.stall = { path: '/tm/weights.bin', bytes: 1_000_000 };
    const part = join(s.home, 'models', '.tm.download', 'weights.bin.part');
    const first = startCli(['models', 'pull', 'tm'], s.home, s.env);
    await waitFor(() => sizeOf(part) === 1_000_000, 'the first megabyte on disk');
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    assert.deepEqual(await registered(s), [], 'nothing registered by the killed pull');
    assert.equal(existsSync(join(s.home, 'models', 'tm')), false, 'no zoo folder before the pull completes');

    s.server.behaviour.stall = null;
    const before = s.server.requests.length;
    const r = await runCli(['models', 'pull', 'tm', '--json'], s.home, s.env);
    assert.equal(r.code, 0, r.stderr);
    const again = s.server.requests.slice(before);
    assert.deepEqual(again.map((q) => q.path), ['/tm/weights.bin'], 'model.json and metadata.json completed before the kill and are not fetched again');
    assert.deepEqual(again[0], { path: '/tm/weights.bin', range: 'bytes=1000000-', status: 206, bytesSent: total - 1_000_000 });
    assert.deepEqual(r.json!.resumed, [{ path: 'weights.bin', from: 1_000_000 }]);
    const weights = (r.json!.files as { path: string; sha256: string }[]).find((f) => f.path === 'weights.bin')!;
    assert.equal(weights.sha256, assetHashes('mobilenet-v2-0.35-tm', ['weights.bin'])['weights.bin']);
    assert.deepEqual(await registered(s), ['tm']);
  } finally {
    await s.server.close();
  }
});

test('a connection that drops mid-file is exit 1 saying to run again, and the rerun continues the file', async () => {
  const s = await setup((url) => [tmEntry(url)]);
  try {
    s.server.behaviour.stall = { path: '/tm/weights.bin', bytes: 700_000, drop: true };
    const dropped = await runCli(['models', 'pull', 'tm'], s.home, s.env);
    assert.equal(dropped.code, 1);
    const message = dropped.stderr.trim().split('\n').pop()!;
    const kept = /^calibra: http:\/\/127\.0\.0\.1:\d+\/tm\/weights\.bin: the download broke off after (\d+) bytes \(.+\); run the same command again to resume$/.exec(message);
    assert.ok(kept, message);
    // What reached the disk: at most what was sent (chunks still in the socket's buffer at the break are dropped).
    const onDisk = Number(kept[1]);
    assert.ok(onDisk > 0 && onDisk <= 700_000, message);
    assert.equal(sizeOf(join(s.home, 'models', '.tm.download', 'weights.bin.part')), onDisk);
    assert.deepEqual(await registered(s), []);
    s.server.behaviour.stall = null;
    const r = await runCli(['models', 'pull', 'tm', '--json'], s.home, s.env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json!.resumed, [{ path: 'weights.bin', from: onDisk }]);
    assert.deepEqual(s.server.requests.at(-1), { path: '/tm/weights.bin', range: `bytes=${onDisk}-`, status: 206, bytesSent: 2_160_432 - onDisk });
  } finally {
    await s.server.close();
  }
});

test('from a mirror without Range support (--from, a built-in name), the broken-off file starts over and lands whole', async () => {
  const s = await setup(() => []);
  try {
    s.server.behaviour.ranges = false;
    s.server.behaviour.stall = { path: '/mobilenet-v2-0.35-224-tm/weights.bin', bytes: 500_000 };
    const name = 'mobilenet-v2-0.35-224-tm';
    const part = join(s.home, 'models', `.${name}.download`, 'weights.bin.part');
    const first = startCli(['models', 'pull', name, '--from', `${s.server.url}/`], s.home, s.env);
    await waitFor(() => sizeOf(part) === 500_000, 'half a megabyte on disk');
    first.child.kill('SIGKILL');
    await first.exited;
    s.server.behaviour.stall = null;
    const before = s.server.requests.length;
    const r = await runCli(['models', 'pull', name, '--from', s.server.url, '--json'], s.home, s.env);
    assert.equal(r.code, 0, r.stderr);
    const total = statSync(join(DARKNET_TINY, '..', 'mobilenet-v2-0.35-tm', 'weights.bin')).size;
    assert.deepEqual(s.server.requests.slice(before), [{ path: `/${name}/weights.bin`, range: 'bytes=500000-', status: 200, bytesSent: total }]);
    assert.equal(r.json!.url, `${s.server.url}/${name}/model.json`);
    assert.deepEqual(r.json!.resumed, []);
    const weights = (r.json!.files as { path: string; sha256: string }[]).find((f) => f.path === 'weights.bin')!;
    assert.equal(weights.sha256, sha256(readFileSync(join(DARKNET_TINY, '..', 'mobilenet-v2-0.35-tm', 'weights.bin'))));
  } finally {
    await s.server.close();
  }
});

test('a shard that fails the catalog sha256 is refused and removed, nothing is registered, and the next pull fetches only it', async () => {
  const s = await setup((url) => [darknetEntry(url)]);
  try {
    s.server.behaviour.alter = { path: '/darknet-tiny/group19-shard1of1', mutate: (b) => Buffer.concat([b.subarray(0, 1000), Buffer.from([b[1000]! ^ 0xff]), b.subarray(1001)]) };
    const bad = await runCli(['models', 'pull', 'darknet-tiny'], s.home, s.env);
    assert.equal(bad.code, 1);
    const message = bad.stderr.trim().split('\n').pop()!;
    assert.match(message, /^calibra: http:\/\/127\.0\.0\.1:\d+\/darknet-tiny\/group19-shard1of1: sha256 [0-9a-f]{64}, but the catalog says [0-9a-f]{64}; removed/);
    assert.deepEqual(await registered(s), []);
    assert.equal(existsSync(join(s.home, 'models', 'darknet-tiny')), false);
    const download = join(s.home, 'models', '.darknet-tiny.download');
    assert.equal(existsSync(join(download, 'group19-shard1of1')), false, 'the corrupt file is removed');
    assert.equal(existsSync(join(download, 'group18-shard1of1')), true, 'the good files are kept');

    s.server.behaviour.alter = null;
    const before = s.server.requests.length;
    const good = await runCli(['models', 'pull', 'darknet-tiny'], s.home, s.env);
    assert.equal(good.code, 0, good.stderr);
    assert.deepEqual(s.server.requests.slice(before).map((q) => q.path), ['/darknet-tiny/group19-shard1of1']);
    assert.deepEqual(await registered(s), ['darknet-tiny']);
  } finally {
    await s.server.close();
  }
});

test('without sha256s, a shard shorter than model.json\'s weight specs need is refused and nothing is registered', async () => {
  const s = await setup((url) => [darknetEntry(url, undefined)]);
  try {
    s.server.behaviour.alter = { path: '/darknet-tiny/group17-shard1of1', mutate: (b) => b.subarray(0, b.length - 100) };
    const r = await runCli(['models', 'pull', 'darknet-tiny'], s.home, s.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr.trim().split('\n').pop()!, /group17-shard1of1: 294812 bytes, but the weight specs in model\.json need 294912 \(truncated\)/);
    assert.deepEqual(await registered(s), []);
    assert.equal(existsSync(join(s.home, 'models', 'darknet-tiny')), false);
  } finally {
    await s.server.close();
  }
});

test('a server that is down: one line naming the host and saying what to do, exit 1', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const s = await setup(() => [{ name: 'gone', url: `http://127.0.0.1:${port}/gone/model.json` }]);
  try {
    const r = await runCli(['models', 'pull', 'gone'], s.home, s.env);
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, new RegExp(`^calibra: models pull gone: cannot reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\);.*--from URL.*'calibra models add DIR --name gone'$`));
    assert.deepEqual(await registered(s), []);
  } finally {
    await s.server.close();
  }
});

test('an unknown name is exit 2 listing the known ones', async () => {
  const s = await setup((url) => [tmEntry(url)]);
  try {
    const r = await runCli(['models', 'pull', 'no-such-model'], s.home, s.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /models pull no-such-model: not a known model; known: mobilenet-v1-0\.25-224, .*mobilenet-v2-0\.35-224-tm, tm\n$/);
    assert.equal(s.server.requests.length, 0);
  } finally {
    await s.server.close();
  }
});
