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

/**
 * How PyTorch ran: its allocator and its tensors' memory layout. The bench tries both layouts
 * and keeps the faster, and runs PyTorch under tcmalloc where it is installed: with glibc's
 * malloc every large tensor is a fresh mmap, and on this project's 2-core VMs the page faults
 * made PyTorch 3–5× slower than it is (digits 469 → 2,499 img/s, MobileNetV2 AdaBN 38 → 418).
 */
export interface TorchSetting {
  allocator: string;
  layout: 'channels-last' | 'contiguous';
}
/** One op of PyTorch's step, from torch.profiler: its own time and calls, per step. */
export interface TorchOp {
  op: string;
  /** Run inside optimizer.step(). */
  optimizer: boolean;
  ms: number;
  calls: number;
}
export interface TorchProfile {
  /** Wall time of a profiled step. */
  step_ms: number;
  ops: TorchOp[];
}
export interface TorchSample extends TorchSetting {
  images_per_second: number;
  profile?: TorchProfile;
}

const TCMALLOC = [
  '/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4',
  '/usr/lib/aarch64-linux-gnu/libtcmalloc_minimal.so.4',
];

/**
 * The library to preload into PyTorch's process, if any. CALIBRA_TORCH_MALLOC=glibc keeps
 * glibc's malloc (to see what the allocator is worth); a path names another allocator.
 */
export function torchAllocator(): { name: string; preload?: string } {
  const choice = process.env.CALIBRA_TORCH_MALLOC;
  if (choice === 'glibc') return { name: 'glibc' };
  if (choice) return { name: choice, preload: choice };
  const found = TCMALLOC.find((p) => existsSync(p));
  return found ? { name: 'tcmalloc', preload: found } : { name: 'glibc' };
}

const LAYOUTS: readonly TorchSetting['layout'][] = ['channels-last', 'contiguous'];

/**
 * `pixels`: for a cached-head or recalibrate-exact case, the images both sides work on (see
 * pixel-files.ts). `profile`: also where a step's time goes (train and bn-stats cases). One
 * sample per layout.
 */
export function torchSamples(c: BenchCase, threads: number, seconds: number, pixels?: ExportedPixels, profile = false): TorchSample[] {
  const groups = specGroupNames(c.spec).map((name) => ({ name, layers: [] }));
  const trainable = [...trainableGroups(groups, c.freeze)];
  const cachedHead = c.mode === 'cached-head' ? { epochs: c.fineTune!.epochs, pixels: pixels!.pixels, labels: pixels!.labels, n: pixels!.n } : {};
  const recalibration = c.mode === 'recalibrate-exact' ? { pixels: pixels!.pixels, n: pixels!.n } : {};
  const allocator = torchAllocator();
  const env = allocator.preload ? { ...process.env, LD_PRELOAD: allocator.preload } : process.env;
  return LAYOUTS.map((layout) => {
    const request = { spec: c.spec, batch: c.batch, mode: c.mode, trainable, threads, seconds, channels_last: layout === 'channels-last', profile, ...cachedHead, ...recalibration };
    const r = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 1 << 20, env });
    if (r.status !== 0) throw new Error(`PyTorch reference failed for ${c.name}: ${r.stderr.trim().split('\n').pop()}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { images_per_second: number; profile?: TorchProfile };
    return { allocator: allocator.name, layout, images_per_second: out.images_per_second, ...(out.profile ? { profile: out.profile } : {}) };
  });
}

/** Parameter and BN-buffer counts of the PyTorch twin, to check both sides built one network. */
export function torchParameterCount(c: BenchCase): { parameters: number; bn_buffers: number } {
  const request = { spec: c.spec, batch: c.batch, mode: 'count', threads: 1 };
  const r = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(request), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`PyTorch reference failed: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}
