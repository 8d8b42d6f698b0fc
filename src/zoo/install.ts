// Putting a model into the zoo: its files are copied into CALIBRA_HOME/models/<name>/ through an
// atomic folder swap, loaded there as strictly as every load, given a manifest carrying the
// content hash (so every later load checks the weights), and then registered in the store. The
// copy, not the original, is what is loaded and hashed, so what is registered is what was checked.
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { loadModel } from '../models/model-io.js';
import { registeredModelsDir } from '../models/zoo.js';
import { RunStore, type ModelFileRecord, type ModelRecord } from '../store/run-store.js';
import { fsyncPath, writeDirAtomically, writeFileDurably } from '../util/atomic.js';
import { recoverBeside } from '../util/interrupted-writes.js';
import { sha256File } from './http-download.js';

export interface InstallRequest {
  name: string;
  /** The folder the files are in. */
  from: string;
  /** The model's JSON file, relative to `from`; the copy is named model.json. */
  modelJson: string;
  /** The other files, relative to `from`, kept at the same relative paths. */
  files: readonly string[];
  origin: ModelRecord['origin'];
  source: string;
  description: string;
  overwrite: boolean;
  log?: (line: string) => void;
  /** Starts the engine the load needs, once the files are known to be worth loading. */
  engine: () => Promise<unknown>;
}

async function describeFile(dir: string, path: string): Promise<ModelFileRecord> {
  const file = join(dir, path);
  return { path, bytes: (await stat(file)).size, sha256: await sha256File(file) };
}

export async function installModel(req: InstallRequest): Promise<ModelRecord> {
  const target = join(registeredModelsDir(), req.name);
  const store = new RunStore();
  await recoverBeside(target, req.log);
  await req.engine();
  let record: ModelRecord | null = null;
  await writeDirAtomically(target, async (dir) => {
    const copies: [string, string][] = [[req.modelJson, 'model.json'], ...req.files.map((f) => [f, f] as [string, string])];
    for (const [from, to] of copies) {
      await mkdir(dirname(join(dir, to)), { recursive: true });
      await copyFile(join(req.from, from), join(dir, to));
      await fsyncPath(join(dir, to));
    }
    const { model, manifest } = await loadModel(dir, { log: req.log });
    model.dispose();
    const files = ['model.json', ...req.files];
    if (!files.includes('manifest.json')) {
      await writeFileDurably(join(dir, 'manifest.json'), `${JSON.stringify({ ...manifest, id: req.name, description: req.description || manifest.description }, null, 2)}\n`);
      files.push('manifest.json');
    }
    record = {
      name: req.name, path: join(target, 'model.json'), origin: req.origin, source: req.source, addedAt: new Date().toISOString(),
      description: req.description || manifest.description, classes: manifest.classes, inputShape: manifest.inputShape,
      bnLayers: manifest.bnLayers, contentHash: manifest.contentHash,
      files: await Promise.all(files.map((f) => describeFile(dir, f))),
    };
  }, {
    label: 'zoo',
    beforeSwap: async () => {
      const existing = await store.findModel(req.name);
      if (existing && !req.overwrite) throw new InputError(`${req.name}: a model of that name is already registered (${existing.path}); --overwrite replaces it`);
    },
  });
  await store.registerModel(record!, req.overwrite);
  return record!;
}
