// The folder of Calibra's own package.json, found from this file wherever it runs from (src/
// under tsx, dist/src/ compiled, or an installed package): the root that shipped models, the
// native addon, presets and scripts are found under.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('calibra: cannot find its package root');
    dir = up;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot();
