// The zoo: the models Calibra ships, under pretrained/<id>/ with a manifest each, and the models
// a person registered (`models pull`, `models add`), copied under CALIBRA_HOME/models/<name>/ and
// recorded in the store.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { calibraHome, RunStore } from '../store/run-store.js';
import { PACKAGE_ROOT } from '../util/package-root.js';

export const PRETRAINED_DIR = join(PACKAGE_ROOT, 'pretrained');

/** Zoo ids double as folder names, so they are plain names. */
export function isZooId(id: string): boolean {
  return /^[a-z0-9][a-z0-9._-]*$/i.test(id);
}

/** Where registered models' copies live. */
export function registeredModelsDir(): string {
  return join(calibraHome(), 'models');
}

export function zooModelDir(id: string): string | null {
  if (!isZooId(id)) return null;
  const dir = join(PRETRAINED_DIR, id);
  return existsSync(join(dir, 'model.json')) ? dir : null;
}

export interface ZooEntry {
  id: string;
  origin: 'shipped' | 'pull' | 'add';
  path: string;
  classes: string[];
  inputShape: [number, number, number];
  bnLayers: number;
  description: string;
}

/** Reads only manifests, so listing the zoo never builds a model. */
export function listShippedModels(): ZooEntry[] {
  if (!existsSync(PRETRAINED_DIR)) return [];
  return readdirSync(PRETRAINED_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(PRETRAINED_DIR, d.name, 'manifest.json')))
    .map((d) => {
      const dir = join(PRETRAINED_DIR, d.name);
      const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      return { id: d.name, origin: 'shipped' as const, path: join(dir, 'model.json'), classes: m.classes, inputShape: m.inputShape, bnLayers: m.bnLayers, description: m.description };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Registered models, in the order they were registered; reads only the store. */
export async function listRegisteredModels(): Promise<ZooEntry[]> {
  return (await new RunStore().models()).map((m) => ({
    id: m.name, origin: m.origin, path: m.path, classes: m.classes, inputShape: m.inputShape, bnLayers: m.bnLayers, description: m.description,
  }));
}

/** The model.json of the model registered as `id`, or null when none is. */
export async function registeredModelJson(id: string): Promise<string | null> {
  if (!isZooId(id)) return null;
  const record = await new RunStore().findModel(id);
  if (record === null) return null;
  if (!existsSync(record.path)) {
    throw new InputError(`--model ${id}: registered at ${record.path}, but that file is gone; pull or add it again with --overwrite`);
  }
  return record.path;
}
