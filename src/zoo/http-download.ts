// One file over HTTP(S) into a local path, resumably. Bytes land in `<dest>.part` as they arrive,
// so a pull that is killed keeps what it got; the next attempt asks for the rest with a Range
// request (guarded by If-Range, so a file that changed on the server is fetched whole again). A
// server that ignores Range answers 200 and the file starts over. The file takes its final name
// only when the body was as long as the server said.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { RunError } from '../errors.js';

/** Errors that mean the host cannot be reached at all, as opposed to a reply we did not like. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNRESET']);

export class HostUnreachable extends RunError {
  constructor(readonly host: string, readonly code: string) {
    super(`cannot reach ${host} (${code})`);
  }
}

export interface DownloadOptions {
  /** Called with each chunk's length as it is written; negative when bytes counted before are dropped (a restart). */
  onBytes?: (n: number) => void;
  /** A connection silent this long is given up. */
  idleTimeoutMs?: number;
}

export interface DownloadResult {
  bytes: number;
  /** Where this attempt started: the length of the partial file it continued, or 0. */
  resumedFrom: number;
}

const MAX_REDIRECTS = 5;
const IDLE_MS = 30_000;

const sizeOf = (path: string) => stat(path).then((s) => s.size, () => null);

function request(url: URL, headers: Record<string, string>, idleMs: number, redirects = MAX_REDIRECTS): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? https.get : url.protocol === 'http:' ? http.get : null;
    if (get === null) return reject(new RunError(`${url.href}: only http and https are supported`));
    const req = get(url, { headers }, (res) => {
      const location = res.headers.location;
      if (res.statusCode !== undefined && [301, 302, 303, 307, 308].includes(res.statusCode) && location) {
        res.resume();
        if (redirects === 0) return reject(new RunError(`${url.href}: more than ${MAX_REDIRECTS} redirects`));
        return resolve(request(new URL(location, url), headers, idleMs, redirects - 1));
      }
      resolve(res);
    });
    req.setTimeout(idleMs, () => req.destroy(Object.assign(new Error(`no data for ${idleMs / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      reject(err.code && UNREACHABLE.has(err.code) ? new HostUnreachable(url.host, err.code) : new RunError(`${url.href}: ${err.message}`));
    });
  });
}

/** `bytes FIRST-LAST/TOTAL` → FIRST and TOTAL (null when `*`). */
function parseContentRange(value: string | undefined): { first: number; total: number | null } | null {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(value?.trim() ?? '');
  return m ? { first: Number(m[1]), total: m[2] === '*' ? null : Number(m[2]) } : null;
}

/** Downloads `url` to `dest`, continuing `<dest>.part` when there is one. */
export async function downloadFile(url: URL, dest: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const part = `${dest}.part`;
  const validatorFile = `${dest}.part-validator`;
  const onBytes = options.onBytes ?? (() => {});
  let have = (await sizeOf(part)) ?? 0;
  const validator = have > 0 ? await readFile(validatorFile, 'utf8').catch(() => null) : null;
  const headers: Record<string, string> = have > 0 ? { Range: `bytes=${have}-`, ...(validator ? { 'If-Range': validator } : {}) } : {};
  const res = await request(url, headers, options.idleTimeoutMs ?? IDLE_MS);
  if (res.statusCode === 416 && have > 0) {
    // The partial file is as long as the server's or longer: it is not a prefix of it.
    res.resume();
    onBytes(-have);
    await rm(part, { force: true });
    return downloadFile(url, dest, options);
  }
  let resumedFrom = 0;
  if (res.statusCode === 206) {
    const range = parseContentRange(res.headers['content-range']);
    if (range === null || range.first !== have) {
      res.resume();
      throw new RunError(`${url.href}: asked for bytes from ${have}, the server answered ${res.headers['content-range'] ?? 'without a Content-Range'}`);
    }
    resumedFrom = have;
  } else if (res.statusCode === 200) {
    if (have > 0) onBytes(-have);
    have = 0;
  } else {
    res.resume();
    throw new RunError(`${url.href}: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trimEnd());
  }
  const length = res.headers['content-length'] === undefined ? null : Number(res.headers['content-length']);
  if (resumedFrom === 0) {
    const tag = res.headers.etag ?? res.headers['last-modified'];
    if (tag) await writeFile(validatorFile, tag);
    else await rm(validatorFile, { force: true });
  }
  const handle = await open(part, resumedFrom > 0 ? 'a' : 'w');
  let received = 0;
  try {
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        await handle.write(chunk);
        received += chunk.length;
        onBytes(chunk.length);
      }
    } catch (err) {
      throw new RunError(`${url.href}: the download broke off after ${resumedFrom + received} bytes (${(err as Error).message}); run the same command again to resume`);
    }
    if (length !== null && received !== length) {
      throw new RunError(`${url.href}: the connection closed after ${resumedFrom + received} of ${resumedFrom + length} bytes; run the same command again to resume`);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(part, dest);
  await rm(validatorFile, { force: true });
  return { bytes: resumedFrom + received, resumedFrom };
}

export async function sha256File(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}
