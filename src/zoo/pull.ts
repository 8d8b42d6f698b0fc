// `models pull`: fetches a catalog model's model.json, its weight files and any extra files
// into CALIBRA_HOME/models/.<name>.download/, checks them, and installs them into the zoo.
//
// No published checksums exist for the public models, so the check is what the files themselves
// imply: every file as long as its server said (http-download.ts), every weights group exactly
// as long as model.json's weight specs need, and, where the catalog gives sha256s, those. A file
// that fails is deleted, so pulling again fetches it anew; partial files that merely broke off
// are kept, so pulling again resumes them. The zoo folder appears only once all of this passed
// and the model loaded (install.ts).
import { mkdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError, RunError } from '../errors.js';
import { expectedBytes, readJson, requireModelJson, type ModelJson } from '../models/model-files.js';
import { registeredModelsDir, zooModelDir } from '../models/zoo.js';
import { RunStore, type ModelRecord } from '../store/run-store.js';
import { catalogEntry, modelJsonUrl, type CatalogEntry } from './catalog.js';
import { lockDownload } from './download-lock.js';
import { downloadFile, HostUnreachable, sha256File } from './http-download.js';
import { installModel } from './install.js';

export interface PullProgress {
  /** Weight bytes on disk, including those of partial files kept from an earlier attempt. */
  done: number;
  /** Weight bytes model.json's specs need, or null when they do not say. */
  total: number | null;
  /** Bytes received by this attempt. */
  received: number;
}

export interface PullRequest {
  name: string;
  entries: readonly CatalogEntry[];
  /** A mirror's base URL, and the flag or variable that gave it (for its error message). */
  mirror?: string;
  mirrorFlag: string;
  overwrite: boolean;
  progress?: (p: PullProgress) => void;
  log?: (line: string) => void;
  /** Starts the engine, which loading the pulled model needs. */
  engine: () => Promise<unknown>;
}

export interface PullResult {
  record: ModelRecord;
  url: string;
  /** Files continued from a partial download, with the byte each continued from. */
  resumed: { path: string; from: number }[];
}

/** A path that model.json or the catalog names: it must stay beside model.json, here and on the server. */
function plainRelative(path: string, where: string): string {
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || path.includes('\\') || /[?#:]/.test(path) || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new RunError(`${where}: file path ${JSON.stringify(path)} does not stay beside model.json; refused`);
  }
  return path;
}

const sizeOf = (path: string) => stat(path).then((s) => s.size, () => 0);
const exists = (path: string) => stat(path).then(() => true, () => false);

function offline(err: HostUnreachable, req: PullRequest, url: URL): RunError {
  return new RunError(`models pull ${req.name}: cannot reach ${err.host} (${err.code}); check the network, or use a mirror (--from URL), or fetch ${url.href} and the files it names by hand and run 'calibra models add DIR --name ${req.name}'`);
}

/** Deletes files that failed a check, so the next pull fetches them again. */
async function discard(dir: string, paths: readonly string[]): Promise<void> {
  for (const p of paths) await rm(join(dir, p), { force: true });
}

async function checkGroupSizes(json: ModelJson, dir: string, url: URL): Promise<void> {
  for (const group of json.weightsManifest) {
    const need = expectedBytes(group.weights);
    if (need === null) continue;
    let have = 0;
    for (const p of group.paths) have += await sizeOf(join(dir, p));
    if (have !== need) {
      await discard(dir, group.paths);
      throw new RunError(`${group.paths.map((p) => new URL(p, url).href).join(', ')}: ${have} bytes, but the weight specs in model.json need ${need} (${have < need ? 'truncated' : 'extra bytes'}); removed, so pulling again fetches them anew`);
    }
  }
}

async function checkSha256(entry: CatalogEntry, files: readonly string[], dir: string, url: URL): Promise<void> {
  for (const [path, want] of Object.entries(entry.sha256 ?? {})) {
    if (!files.includes(path)) throw new RunError(`models pull ${entry.name}: the catalog gives a sha256 for ${path}, which the model does not have`);
    const got = await sha256File(join(dir, path));
    if (got !== want.toLowerCase()) {
      await discard(dir, [path]);
      throw new RunError(`${new URL(path, url).href}: sha256 ${got}, but the catalog says ${want.toLowerCase()}; removed, the download or the mirror is corrupt`);
    }
  }
}

export async function pullModel(req: PullRequest): Promise<PullResult> {
  const entry = catalogEntry(req.name, req.entries);
  if (zooModelDir(req.name) !== null) throw new InputError(`models pull ${req.name}: Calibra ships a model of that name; it needs no pull`);
  const existing = await new RunStore().findModel(req.name);
  if (existing && !req.overwrite) throw new InputError(`models pull ${req.name}: already in the zoo (${existing.path}); --overwrite pulls it again`);
  const url = modelJsonUrl(entry, req.mirror, req.mirrorFlag);
  const dir = join(registeredModelsDir(), `.${req.name}.download`);
  await mkdir(dir, { recursive: true });
  const release = await lockDownload(dir, req.name);
  try {
    const resumed: PullResult['resumed'] = [];
    const fetchInto = async (path: string, onBytes?: (n: number) => void) => {
      const from = new URL(path, url);
      // A file that completed in an earlier attempt has its final name; only sizes and sha256s decide whether it stays.
      if (await exists(join(dir, path))) return;
      try {
        const r = await downloadFile(from, join(dir, path), { onBytes });
        if (r.resumedFrom > 0) resumed.push({ path, from: r.resumedFrom });
      } catch (err) {
        throw err instanceof HostUnreachable ? offline(err, req, url) : err;
      }
    };
    await fetchInto('model.json');
    let json: ModelJson;
    try {
      json = requireModelJson(await readJson(join(dir, 'model.json')), join(dir, 'model.json'));
    } catch (err) {
      await discard(dir, ['model.json']);
      throw new RunError(`${url.href}: ${(err as Error).message}`);
    }
    const weights = json.weightsManifest.flatMap((g) => g.paths).map((p) => plainRelative(p, url.href));
    const extras = (entry.extraFiles ?? []).map((p) => plainRelative(p, `catalog entry ${entry.name}`));
    const sizes = json.weightsManifest.map((g) => expectedBytes(g.weights));
    const total = sizes.every((s) => s !== null) ? sizes.reduce<number>((a, b) => a + b!, 0) : null;
    let done = 0;
    for (const p of weights) done += (await sizeOf(join(dir, p))) || (await sizeOf(join(dir, `${p}.part`)));
    let received = 0;
    const onBytes = (n: number) => {
      done += n;
      if (n > 0) received += n;
      req.progress?.({ done, total, received });
    };
    req.progress?.({ done, total, received });
    for (const p of [...extras, ...weights]) {
      await mkdir(dirname(join(dir, p)), { recursive: true });
      await fetchInto(p, weights.includes(p) ? onBytes : undefined);
    }
    const files = ['model.json', ...extras, ...weights];
    await checkGroupSizes(json, dir, url);
    await checkSha256(entry, files, dir, url);
    const record = await installModel({
      name: req.name, from: dir, modelJson: 'model.json', files: [...extras, ...weights], origin: 'pull', source: url.href,
      description: entry.description, overwrite: req.overwrite, log: req.log, engine: req.engine,
    });
    await release();
    await rm(dir, { recursive: true, force: true });
    return { record, url: url.href, resumed };
  } finally {
    await release();
    // A pull that failed before fetching anything leaves no empty folder behind.
    await rmdir(dir).catch(() => {});
  }
}
