// Runs bench/torch_reference.py with Debian's PyTorch, when it is there.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../util/package-root.js';
import { trainableGroups } from '../models/groups.js';
import { specGroupNames } from '../models/architectures/spec.js';
import type { BenchCase } from './cases.js';
import type { ExportedPixels } from './pixel-files.js';

const PYTHON = process.env.CALIBRA_PYTHON ?? '/usr/bin/python3';
const SCRIPT = join(PACKAGE_ROOT, 'bench', 'torch_reference.py');

export function torchAvailable(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'PyTorch not importable (apt-get install python3-torch)';
}

/** `pixels`: for a cached-head or recalibrate-exact case, the images both sides work on (see pixel-files.ts). */
export function torchImagesPerSecond(c: BenchCase, threads: number, seconds: number, pixels?: ExportedPixels): number {
  const groups = specGroupNames(c.spec).map((name) => ({ name, layers: [] }));
  const trainable = [...trainableGroups(groups, c.freeze)];
  const cachedHead = c.mode === 'cached-head' ? { epochs: c.fineTune!.epochs, pixels: pixels!.pixels, labels: pixels!.labels, n: pixels!.n } : {};
  const recalibration = c.mode === 'recalibrate-exact' ? { pixels: pixels!.pixels, n: pixels!.n } : {};
  const request = { spec: c.spec, batch: c.batch, mode: c.mode, trainable, threads, seconds, channels_last: true, ...cachedHead, ...recalibration };
  const r = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`PyTorch reference failed for ${c.name}: ${r.stderr.trim().split('\n').pop()}`);
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { images_per_second: number }).images_per_second;
}

/** Parameter and BN-buffer counts of the PyTorch twin, to check both sides built one network. */
export function torchParameterCount(c: BenchCase): { parameters: number; bn_buffers: number } {
  const request = { spec: c.spec, batch: c.batch, mode: 'count', threads: 1 };
  const r = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(request), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`PyTorch reference failed: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}
