// The models Calibra ships, under pretrained/<id>/ with a manifest each.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../util/package-root.js';

export const PRETRAINED_DIR = join(PACKAGE_ROOT, 'pretrained');

export function zooModelDir(id: string): string | null {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(id)) return null;
  const dir = join(PRETRAINED_DIR, id);
  return existsSync(join(dir, 'model.json')) ? dir : null;
}

export interface ZooEntry {
  id: string;
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
      return { id: d.name, path: join(dir, 'model.json'), classes: m.classes, inputShape: m.inputShape, bnLayers: m.bnLayers, description: m.description };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}
