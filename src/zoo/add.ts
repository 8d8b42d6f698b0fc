// `models add`: registers a local tfjs layers model under a name. The model is checked where it
// is (readable JSON, a layers topology, weight files inside its folder and of the sizes their
// specs need) before anything is copied, then installed like a pulled one (install.ts).
import { stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { readJson, readWeights, requireModelJson } from '../models/model-files.js';
import { isZooId, zooModelDir } from '../models/zoo.js';
import { RunStore, type ModelRecord } from '../store/run-store.js';
import { installModel } from './install.js';

/** Files beside model.json that loading reads when present. */
const COMPANIONS = ['metadata.json', 'classes.json', 'manifest.json'];

export interface AddRequest {
  path: string;
  name?: string;
  overwrite: boolean;
  log?: (line: string) => void;
  engine: () => Promise<unknown>;
}

async function findModelJson(path: string): Promise<string> {
  const abs = resolve(path);
  const info = await stat(abs).catch(() => null);
  if (info === null) throw new InputError(`models add ${path}: no such file or folder`);
  if (!info.isDirectory()) return abs;
  const inside = join(abs, 'model.json');
  if (!existsSync(inside)) throw new InputError(`models add ${path}: a folder without a model.json`);
  return inside;
}

function chooseName(given: string | undefined, modelJson: string): string {
  if (given !== undefined) {
    if (!isZooId(given)) throw new InputError(`--name ${given}: use letters, digits, '.', '_' and '-', starting with a letter or digit`);
    return given;
  }
  const folder = basename(dirname(modelJson));
  if (!isZooId(folder)) throw new InputError(`models add: the folder name ${JSON.stringify(folder)} is not a usable model name; give --name`);
  return folder;
}

export async function addModel(req: AddRequest): Promise<ModelRecord> {
  const modelJson = await findModelJson(req.path);
  const name = chooseName(req.name, modelJson);
  if (zooModelDir(name) !== null) throw new InputError(`--name ${name}: Calibra ships a model of that name; choose another`);
  const existing = await new RunStore().findModel(name);
  if (existing && !req.overwrite) throw new InputError(`--name ${name}: a model of that name is already registered (${existing.path}); --overwrite replaces it`);
  const json = requireModelJson(await readJson(modelJson), modelJson);
  await readWeights(json, modelJson);
  const dir = dirname(modelJson);
  const weights = json.weightsManifest.flatMap((g) => g.paths).map((p) => relative(dir, resolve(dir, p)));
  const companions = COMPANIONS.filter((f) => existsSync(join(dir, f)));
  return installModel({
    name, from: dir, modelJson: basename(modelJson), files: [...companions, ...weights], origin: 'add', source: modelJson,
    description: '', overwrite: req.overwrite, log: req.log, engine: req.engine,
  });
}
