// A local HTTP server for the zoo tests: serves the shared models at /<name>/<file>, read from
// ../shared/assets, and records each request (its Range header, status, bytes sent). Tests can
// make it ignore Range, stall a file partway (to kill a pull mid-file), or alter a file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SHARED_ASSETS } from '../helpers/assets.js';

export interface ServedRequest {
  path: string;
  range: string | null;
  status: number;
  /** Body bytes written to the socket. */
  bytesSent: number;
}

export interface ServerBehaviour {
  /** Honour Range requests (default true). */
  ranges: boolean;
  /** Send only the first `bytes` of `path` (with the full Content-Length), then hold the connection open or (`drop`) close it. */
  stall: { path: string; bytes: number; drop?: boolean } | null;
  /** Serve `mutate(original)` for `path`, with a Content-Length to match. */
  alter: { path: string; mutate: (original: Buffer) => Buffer } | null;
}

export interface ZooServer {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  requests: ServedRequest[];
  behaviour: ServerBehaviour;
  close(): Promise<void>;
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** `models`: URL folder name → folder under shared/assets/models. */
export async function startZooServer(models: Record<string, string>): Promise<ZooServer> {
  const requests: ServedRequest[] = [];
  const behaviour: ServerBehaviour = { ranges: true, stall: null, alter: null };
  const stalled: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const [, name, ...rest] = path.split('/');
    const record: ServedRequest = { path, range: req.headers.range ?? null, status: 404, bytesSent: 0 };
    requests.push(record);
    const folder = name === undefined ? undefined : models[name];
    let body: Buffer;
    try {
      if (folder === undefined || rest.some((p) => p === '..')) throw new Error('not served');
      body = readFileSync(join(SHARED_ASSETS, 'models', folder, ...rest));
    } catch {
      res.writeHead(404).end();
      return;
    }
    if (behaviour.alter?.path === path) body = behaviour.alter.mutate(body);
    const etag = `"${sha256(body).slice(0, 16)}"`;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    let start = 0;
    if (behaviour.ranges && range && (ifRange === undefined || ifRange === etag)) {
      start = Number(range[1]);
      if (start >= body.length) {
        record.status = 416;
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      record.status = 206;
      res.writeHead(206, { 'Content-Length': body.length - start, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`, ETag: etag });
    } else {
      record.status = 200;
      res.writeHead(200, { 'Content-Length': body.length, ETag: etag, ...(behaviour.ranges ? { 'Accept-Ranges': 'bytes' } : {}) });
    }
    const payload = body.subarray(start);
    if (behaviour.stall?.path === path) {
      const part = payload.subarray(0, behaviour.stall.bytes);
      record.bytesSent = part.length;
      if (behaviour.stall.drop) res.write(part, () => res.socket?.end());
      else res.write(part);
      stalled.push(res);
      return;
    }
    record.bytesSent = payload.length;
    res.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    behaviour,
    close: () => new Promise((resolve) => {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** sha256 of every file of a shared model folder, by file name. */
export function assetHashes(folder: string, files: readonly string[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, sha256(readFileSync(join(SHARED_ASSETS, 'models', folder, f)))]));
}
