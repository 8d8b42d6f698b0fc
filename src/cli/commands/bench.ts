import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BENCH_CASES, missingAssets, type BenchCase } from '../../bench/cases.js';
import { runCase } from '../../bench/run-case.js';
import type { StepProfile } from '../../bench/profile-step.js';
import { torchAvailable, torchSamples, type TorchProfile, type TorchSample } from '../../bench/torch-reference.js';
import { STEP_PARTS, calibraBreakdown, torchBreakdown, type StepBreakdown } from '../../bench/step-breakdown.js';
import { exportPixels } from '../../bench/run-cached-head.js';
import { exportRecalibrationPixels } from '../../bench/run-recalibrate.js';
import type { ExportedPixels } from '../../bench/pixel-files.js';
import { rm } from 'node:fs/promises';
import { InputError } from '../../errors.js';
import { flag, num, str } from '../flags.js';
import type { Command, CommandContext } from '../command.js';

const ENTRY = fileURLToPath(new URL('../main.js', import.meta.url));
const BACKEND_CHOICES = ['native', 'wasm', 'cpu', 'tfjs-node', 'tfjs-node-gpu'];
/** Cases on real photos hand PyTorch the pixels Calibra's side decodes. */
const PIXEL_EXPORTS: Partial<Record<BenchCase['mode'], (c: BenchCase) => Promise<ExportedPixels>>> = {
  'cached-head': exportPixels,
  'recalibrate-exact': exportRecalibrationPixels,
};

interface CaseRow {
  name: string;
  backend: string;
  images_per_second: number | null;
  torch_images_per_second: number | null;
  ratio: number | null;
  batch: number;
  /** Set when the figure comes from a brief sample at a smaller batch, not the case's own. */
  sampled?: string;
  error?: string;
  /** Why the case did not run here (not a failure): e.g. its real model is not beside the checkout. */
  skipped?: string;
  /** For a recalibration, Calibra's layer calls per image over one forward pass's. */
  forward_passes?: number;
  /** Every measurement taken; images_per_second is the best of them. */
  samples?: number[];
  /** Every PyTorch measurement, each layout in turn. */
  torch_samples?: number[];
  /** The allocator and layout of the fastest PyTorch measurement, the one the ratio uses. */
  torch_setting?: { layout: string; allocator: string };
  profile?: StepProfile;
  /** With --profile: PyTorch's own top ops per step, and both steps in the same parts. */
  torch_profile?: TorchProfile;
  breakdown?: { calibra: StepBreakdown; torch: StepBreakdown | null };
}

/** Each (case, backend) runs in a fresh process: native and wasm differ only in registered kernels. */
type ChildResult = { images_per_second: number; batch: number; profile?: StepProfile; forward_passes?: number } | { error: string };

function runChild(c: BenchCase, backend: string, seconds: number, sample: boolean, profile: boolean): Promise<ChildResult> {
  const args = [ENTRY, 'bench', '--child', c.name, '--backend', backend, '--seconds', String(seconds), '--json', ...(sample ? ['--sample'] : []), ...(profile ? ['--profile'] : [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(last);
        if (code === 0) return resolve(parsed);
        return resolve({ error: parsed.error ?? `exit ${code}` });
      } catch {
        resolve({ error: err.trim().split('\n').pop() ?? `exit ${code}` });
      }
    });
  });
}

async function runAsChild(ctx: CommandContext, name: string) {
  const c = BENCH_CASES.find((k) => k.name === name);
  if (!c) throw new InputError(`--child ${name}: unknown case`);
  const backend = await ctx.engine();
  const sample = flag(ctx.values, 'sample');
  const trialBatch = str(ctx.values, 'batch');
  if (trialBatch !== undefined) {
    const timing = await runCase(c, { seconds: 0, batch: num(ctx.values, 'batch', c.batch, { min: 1, integer: true }), minSteps: 1 });
    return { json: { ...timing, backend: backend.name }, text: `batch ${timing.batch} fits` };
  }
  const timing = await runCase(c, sample ? { seconds: 0, batch: Math.min(4, c.batch), minSteps: 1 } : { seconds: num(ctx.values, 'seconds', 5, { min: 0 }), profile: flag(ctx.values, 'profile') });
  return { json: { ...timing, backend: backend.name }, text: `${timing.images_per_second.toFixed(2)} img/s` };
}

/**
 * How long one trial step may take. Near the 4 GiB limit the wasm engine's allocator can crawl
 * rather than fail: MobileNetV2 at batch 140 on wasm ran one step for over 10 minutes where 136
 * took seconds. A batch that slow is of no use, so it counts as not fitting.
 */
const TRIAL_LIMIT_MS = 5 * 60_000;

type Trial = 'fits' | 'does not fit' | 'too slow';

export function trialStep(c: BenchCase, backend: string, batch: number, limitMs = TRIAL_LIMIT_MS): Promise<Trial> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ENTRY, 'bench', '--child', c.name, '--backend', backend, '--batch', String(batch), '--json'], { stdio: 'ignore' });
    let slow = false;
    const timer = setTimeout(() => {
      slow = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(slow ? 'too slow' : code === 0 ? 'fits' : 'does not fit');
    });
  });
}

/** Doubling from the case's batch until a step fails, then bisection to within 5%. */
async function maxBatches(ctx: CommandContext, cases: readonly BenchCase[], backend: string) {
  const found: { name: string; backend: string; max_batch: number; first_failure: number | null }[] = [];
  for (const c of cases) {
    let fits = 0;
    let fails: number | null = null;
    const trial = async (b: number): Promise<boolean> => {
      const t = await trialStep(c, backend, b);
      ctx.log(`${c.name} on ${backend}: batch ${b} ${t === 'too slow' ? `does not fit (one step took over ${TRIAL_LIMIT_MS / 60_000} min)` : t}`);
      return t === 'fits';
    };
    for (let b = c.batch; fails === null && b <= 65536; b *= 2) {
      if (await trial(b)) fits = b;
      else fails = b;
    }
    while (fails !== null && fails - fits > Math.max(1, Math.floor(fits * 0.05))) {
      const mid = Math.floor((fits + fails) / 2);
      if (await trial(mid)) fits = mid;
      else fails = mid;
    }
    found.push({ name: c.name, backend, max_batch: fits, first_failure: fails });
  }
  return {
    json: { max_batch: found },
    text: found.map((f) => `${f.name.padEnd(22)} ${f.backend.padEnd(8)} largest batch that fits: ${f.max_batch}${f.first_failure ? ` (${f.first_failure} does not)` : ''}`).join('\n'),
  };
}

/** Both steps side by side, in milliseconds per step, part by part. */
function breakdownTable(backend: string, b: NonNullable<CaseRow['breakdown']>): string[] {
  const cell = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(1)).padStart(9);
  const lines = [`  where one step goes, ms${' '.repeat(12)}${backend.padStart(9)}  ${'PyTorch'.padStart(9)}`];
  for (const part of [...STEP_PARTS, 'step'] as const) lines.push(`    ${part.padEnd(32)}${cell(b.calibra[part])}  ${cell(b.torch?.[part])}`);
  lines.push('    (framework: time outside every kernel or op, JS or Python and autograd; PyTorch profiled over 5 steps,');
  lines.push("     Calibra over 5; Calibra's one-call native optimizer runs outside tfjs's kernels and counts as framework)");
  return lines;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'training and recalibration speed per backend, against PyTorch on the same machine',
  usage: `Usage: calibra bench [--case NAME]... [--backends LIST] [--seconds S] [--no-torch] [--json]

Times each case on each backend through Calibra's own training step, and the same
architecture, batch and thread count in PyTorch (bench/torch_reference.py, run with
/usr/bin/python3 or CALIBRA_PYTHON) in the same session. ratio = Calibra / PyTorch images/s.
PyTorch gets its best settings: both memory layouts (channels-last and contiguous) are timed
and the faster kept, and it runs under tcmalloc where libtcmalloc-minimal4 is installed
(glibc's malloc page-faults on every large tensor; CALIBRA_TORCH_MALLOC=glibc to compare).
The cpu backend is sampled briefly at a smaller batch (it is about 2,000× slower); such rows
say so. Cases on the real model and photos in ../shared/assets (or CALIBRA_SHARED_ASSETS) time
a whole run from decoded pixels, decoding excluded on both sides; where those assets are not
there, their rows carry "skipped" with the reason instead of figures.

Cases:
${BENCH_CASES.map((c) => `  ${c.name.padEnd(22)} ${c.description}`).join('\n')}

  --case NAME      run only this case (repeatable)
  --backends LIST  comma-separated, default native,wasm,cpu (missing ones are reported, not fatal)
  --seconds S      timed seconds per measurement after warm-up (default 5)
  --repeat N       measure each side N times, interleaved, and keep the best (default 2): a
                   2-core machine's background load slows either side at random
  --no-torch       skip the PyTorch reference
  --profile        also time 5 steps kernel by kernel and print the top kernels, PyTorch's
                   step per op (torch.profiler), and both steps in the same parts side by side
  --max-batch      instead of timing, find the largest batch of each case that fits in the
                   engine's memory (the wasm heap stops at 4 GiB), one fresh process per try; a try
                   whose one step takes over 5 minutes counts as not fitting
  --json           {"cases":[{"name","backend","images_per_second","torch_images_per_second","ratio",…}]}
                   (a recalibration case adds forward_passes: Calibra's layer calls per image,
                   in forward passes; a case that could not run here adds skipped)`,
  options: {
    case: { type: 'string', multiple: true },
    backends: { type: 'string' },
    seconds: { type: 'string' },
    'no-torch': { type: 'boolean' },
    repeat: { type: 'string' },
    profile: { type: 'boolean' },
    'max-batch': { type: 'boolean' },
    child: { type: 'string' },
    batch: { type: 'string' },
    sample: { type: 'boolean' },
  },
  async run(ctx) {
    const child = str(ctx.values, 'child');
    if (child) return runAsChild(ctx, child);
    const names = (ctx.values.case as string[] | undefined) ?? BENCH_CASES.map((c) => c.name);
    const cases = names.map((n) => BENCH_CASES.find((c) => c.name === n) ?? (() => { throw new InputError(`--case ${n}: unknown (choose from ${BENCH_CASES.map((c) => c.name).join(', ')})`); })());
    const backends = (str(ctx.values, 'backends') ?? 'native,wasm,cpu').split(',').map((b) => b.trim()).filter(Boolean);
    for (const b of backends) if (!BACKEND_CHOICES.includes(b)) throw new InputError(`--backends ${b}: choose from ${BACKEND_CHOICES.join(', ')}`);
    const seconds = num(ctx.values, 'seconds', 5, { min: 0.5 });
    const repeat = num(ctx.values, 'repeat', 2, { min: 1, max: 10, integer: true });
    if (flag(ctx.values, 'max-batch')) return maxBatches(ctx, cases, backends[0]!);
    const threads = availableParallelism();
    const torchMissing = flag(ctx.values, 'no-torch') ? 'skipped (--no-torch)' : torchAvailable();
    if (torchMissing) ctx.log(`PyTorch reference: ${torchMissing}; torch fields will be null`);
    const profiling = flag(ctx.values, 'profile');
    const rows: CaseRow[] = [];
    for (const c of cases) {
      const skipped = missingAssets(c);
      if (skipped !== null) {
        ctx.log(`${c.name}  skipped: ${skipped}`);
        rows.push(...backends.map((backend) => ({ name: c.name, backend, images_per_second: null, torch_images_per_second: null, ratio: null, batch: c.batch, skipped })));
        continue;
      }
      const torchRuns: TorchSample[] = [];
      const samples = new Map<string, ChildResult[]>(backends.map((b) => [b, []]));
      // Reading the case's model for its input size needs an engine in this process too.
      const exporter = PIXEL_EXPORTS[c.mode];
      const pixels = !torchMissing && exporter ? await ctx.engine().then(() => exporter(c)) : undefined;
      // Interleaved, so a burst of background load hits both sides rather than one.
      for (let r = 0; r < repeat; r++) {
        if (!torchMissing) torchRuns.push(...torchSamples(c, threads, seconds, pixels, profiling && r === 0));
        for (const backend of backends) {
          const sample = backend === 'cpu';
          if (sample && r > 0) continue;
          samples.get(backend)!.push(await runChild(c, backend, seconds, sample, profiling && !sample && r === 0));
        }
      }
      if (pixels) await rm(pixels.dir, { recursive: true, force: true });
      const torchBest = torchRuns.length > 0 ? torchRuns.reduce((a, b) => (b.images_per_second > a.images_per_second ? b : a)) : null;
      const torch = torchBest?.images_per_second ?? null;
      // The profile of the layout the ratio uses; profiled only in the first round.
      const torchProfile = torchRuns.find((t) => t.profile && t.layout === torchBest?.layout)?.profile;
      if (torchBest) {
        ctx.log(`${c.name}  pytorch ${threads} threads: ${torchBest.images_per_second.toFixed(1)} img/s, ${torchBest.layout}, ${torchBest.allocator} allocator (best of ${torchRuns.map((t) => `${t.layout} ${t.images_per_second.toFixed(1)}`).join(', ')})`);
      }
      for (const backend of backends) {
        const results = samples.get(backend)!;
        const ok = results.filter((x): x is Exclude<ChildResult, { error: string }> => !('error' in x));
        const sample = backend === 'cpu';
        const best = ok.length > 0 ? ok.reduce((a, b) => (b.images_per_second > a.images_per_second ? b : a)) : null;
        const profile = ok.find((x) => x.profile)?.profile;
        const row: CaseRow = best === null
          ? { name: c.name, backend, images_per_second: null, torch_images_per_second: torch, ratio: null, batch: c.batch, error: (results[0] as { error: string }).error }
          : {
              name: c.name, backend, images_per_second: Number(best.images_per_second.toFixed(2)), torch_images_per_second: torch === null ? null : Number(torch.toFixed(2)),
              ratio: torch === null ? null : Number((best.images_per_second / torch).toFixed(3)), batch: best.batch,
              samples: ok.map((x) => Number(x.images_per_second.toFixed(2))), torch_samples: torchRuns.map((t) => Number(t.images_per_second.toFixed(2))),
              ...(torchBest ? { torch_setting: { layout: torchBest.layout, allocator: torchBest.allocator } } : {}),
              ...(sample ? { sampled: `one step at batch ${best.batch} (case batch ${c.batch})` } : {}),
              ...(best.forward_passes === undefined ? {} : { forward_passes: Number(best.forward_passes.toFixed(3)) }),
              ...(profile ? { profile, breakdown: { calibra: calibraBreakdown(profile), torch: torchProfile ? torchBreakdown(torchProfile) : null } } : {}),
              ...(profile && torchProfile ? { torch_profile: { step_ms: torchProfile.step_ms, ops: torchProfile.ops.slice(0, 20) } } : {}),
            };
        rows.push(row);
        ctx.log(`${c.name}  ${backend}: ${row.images_per_second === null ? `unavailable (${row.error})` : `${row.images_per_second} img/s${row.ratio === null ? '' : `  ratio ${row.ratio}`}${row.sampled ? `  [sampled: ${row.sampled}]` : ''}`}`);
        if (row.profile) {
          const p = row.profile;
          ctx.log(`  a ${c.name} step on ${backend} (mean of ${p.steps} profiled): ${p.stepMs} ms, ${p.kernelMs} ms in kernels, ${(p.stepMs - p.kernelMs).toFixed(1)} ms between them`);
          for (const k of p.kernels.slice(0, 12)) ctx.log(`    ${k.kernel.padEnd(36)} ${k.ms.toFixed(1).padStart(8)} ms  ${String(k.calls).padStart(4)} calls  ${((100 * k.ms) / p.stepMs).toFixed(1).padStart(5)}%`);
          if (row.breakdown) for (const line of breakdownTable(backend, row.breakdown)) ctx.log(line);
        }
      }
    }
    const header = `${'case'.padEnd(22)} ${'backend'.padEnd(8)} ${'img/s'.padStart(9)} ${'torch'.padStart(9)} ${'ratio'.padStart(7)}`;
    const lines = rows.map((r) => `${r.name.padEnd(22)} ${r.backend.padEnd(8)} ${(r.images_per_second?.toFixed(1) ?? '—').padStart(9)} ${(r.torch_images_per_second?.toFixed(1) ?? '—').padStart(9)} ${(r.ratio?.toFixed(3) ?? '—').padStart(7)}${r.sampled ? '  sampled' : ''}${r.error ? `  ${r.error}` : ''}${r.skipped ? `  skipped: ${r.skipped}` : ''}`);
    return { json: { cases: rows, threads, torch: torchMissing ? null : 'python3-torch' }, text: [header, ...lines].join('\n') };
  },
};
