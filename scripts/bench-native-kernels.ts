// Per-layer timing of the native kernels against the stock wasm backend and PyTorch, at the
// shapes of the networks Calibra trains: MobileNetV2-0.35 at 224×224, batch 16, and the digits
// ResNet at 32×32, batch 64. Each layer's forward and backward kernels are timed separately.
//
//   npx tsx scripts/bench-native-kernels.ts [--filter TEXT] [--threads N] [--rounds N] [--no-wasm] [--no-torch] [--json]
//
// "wasm" is the stock tfjs wasm backend (XNNPACK, one thread in Node) plus the project's
// pure-tfjs training kernels (src/engine/kernels) where the stock backend has none (the
// backward convolutions and the batch-norm pair). PyTorch runs in a child process with
// channels-last tensors and as many threads as the native kernels (--threads, else one per
// core). Each figure is the fastest of several runs, which is
// the least disturbed by other processes on a shared machine. Filters are the same tensor
// across runs, so the native forward finds its reordered weights cached, as in inference.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

import '@tensorflow/tfjs-backend-wasm';
import { engine, getKernel, type NamedAttrMap, type NamedTensorInfoMap, type NamedTensorMap, type TensorInfo } from '@tensorflow/tfjs-core';

import { tf } from '../src/engine/tf.js';
import { registerWasmTrainingKernels } from '../src/engine/kernels/register-all.js';
import { loadAddon } from '../src/engine/native/load-addon.js';
import { fallbackCount } from '../src/engine/native/native-kernel.js';
import { registerNativeKernels, setNativeThreads } from '../src/engine/native/register-all.js';

type LayerCase =
  | { kind: 'conv'; name: string; n: number; h: number; w: number; ic: number; oc: number; k: number; stride: number }
  | { kind: 'dw'; name: string; n: number; h: number; w: number; c: number; k: number; stride: number }
  | { kind: 'bn'; name: string; shape: [number, number, number, number] }
  | { kind: 'maxpool' | 'avgpool'; name: string; shape: [number, number, number, number]; k: number; stride: number }
  | { kind: 'matmul'; name: string; m: number; k: number; n: number };

const CASES: LayerCase[] = [
  { kind: 'conv', name: 'mnv2 stem 3×3/2 3→16 @224', n: 16, h: 224, w: 224, ic: 3, oc: 16, k: 3, stride: 2 },
  { kind: 'dw', name: 'mnv2 b1 dw 3×3 16 @112', n: 16, h: 112, w: 112, c: 16, k: 3, stride: 1 },
  { kind: 'conv', name: 'mnv2 b1 project 1×1 16→8 @112', n: 16, h: 112, w: 112, ic: 16, oc: 8, k: 1, stride: 1 },
  { kind: 'conv', name: 'mnv2 b2 expand 1×1 8→48 @112', n: 16, h: 112, w: 112, ic: 8, oc: 48, k: 1, stride: 1 },
  { kind: 'dw', name: 'mnv2 b2 dw 3×3/2 48 @112', n: 16, h: 112, w: 112, c: 48, k: 3, stride: 2 },
  { kind: 'conv', name: 'mnv2 b2 project 1×1 48→8 @56', n: 16, h: 56, w: 56, ic: 48, oc: 8, k: 1, stride: 1 },
  { kind: 'dw', name: 'mnv2 b4 dw 3×3 96 @28', n: 16, h: 28, w: 28, c: 96, k: 3, stride: 1 },
  { kind: 'dw', name: 'mnv2 b6 dw 3×3 192 @14', n: 16, h: 14, w: 14, c: 192, k: 3, stride: 1 },
  { kind: 'conv', name: 'mnv2 b6 project 1×1 192→32 @14', n: 16, h: 14, w: 14, ic: 192, oc: 32, k: 1, stride: 1 },
  { kind: 'conv', name: 'mnv2 head 1×1 112→1280 @7', n: 16, h: 7, w: 7, ic: 112, oc: 1280, k: 1, stride: 1 },
  { kind: 'bn', name: 'mnv2 BN 48 @112', shape: [16, 112, 112, 48] },
  { kind: 'bn', name: 'mnv2 BN 192 @14', shape: [16, 14, 14, 192] },
  { kind: 'matmul', name: 'mnv2 logits 1280→10', m: 16, k: 1280, n: 10 },
  { kind: 'conv', name: 'digits stem 3×3 3→16 @32', n: 64, h: 32, w: 32, ic: 3, oc: 16, k: 3, stride: 1 },
  { kind: 'conv', name: 'digits b1 3×3 16→16 @32', n: 64, h: 32, w: 32, ic: 16, oc: 16, k: 3, stride: 1 },
  { kind: 'conv', name: 'digits b2 3×3/2 16→32 @32', n: 64, h: 32, w: 32, ic: 16, oc: 32, k: 3, stride: 2 },
  { kind: 'conv', name: 'digits b2 3×3 32→32 @16', n: 64, h: 16, w: 16, ic: 32, oc: 32, k: 3, stride: 1 },
  { kind: 'conv', name: 'digits b2 down 1×1/2 16→32 @32', n: 64, h: 32, w: 32, ic: 16, oc: 32, k: 1, stride: 2 },
  { kind: 'conv', name: 'digits b3 3×3 64→64 @8', n: 64, h: 8, w: 8, ic: 64, oc: 64, k: 3, stride: 1 },
  { kind: 'bn', name: 'digits BN 16 @32', shape: [64, 32, 32, 16] },
  { kind: 'maxpool', name: 'digits maxpool 2×2/2 16 @32', shape: [64, 32, 32, 16], k: 2, stride: 2 },
  { kind: 'avgpool', name: 'digits avgpool 2×2/2 16 @32', shape: [64, 32, 32, 16], k: 2, stride: 2 },
  { kind: 'matmul', name: 'digits logits 64→10', m: 64, k: 64, n: 10 },
];

/** One timed kernel call of a layer: forward, or one of its backward kernels. */
interface Op {
  readonly pass: 'fwd' | 'bwd-data' | 'bwd-weights' | 'bwd';
  /** Floating-point operations per call, or bytes moved for memory-bound kernels. */
  readonly work: number;
  readonly unit: 'GFLOP/s' | 'GB/s';
  /** Runs the kernel once and returns what to dispose. */
  readonly run: () => TensorInfo | TensorInfo[] | tf.Tensor | tf.Tensor[];
}

function runKernel(name: string, inputs: NamedTensorInfoMap, attrs: object): TensorInfo | TensorInfo[] {
  return engine().runKernel(name, inputs as unknown as NamedTensorMap, attrs as unknown as NamedAttrMap) as TensorInfo | TensorInfo[];
}

function outSize(size: number, stride: number): number {
  return Math.ceil(size / stride);
}

/** The layer's kernel calls on the current backend. */
function ops(c: LayerCase, keep: tf.Tensor[]): Op[] {
  const t = (shape: number[]): tf.Tensor => {
    const tensor = tf.randomNormal(shape, 0, 1, 'float32', 42);
    keep.push(tensor);
    return tensor;
  };
  switch (c.kind) {
    case 'conv':
    case 'dw': {
      const depthwise = c.kind === 'dw';
      const ic = depthwise ? c.c : c.ic;
      const oc = depthwise ? c.c : c.oc;
      const x = t([c.n, c.h, c.w, ic]);
      const filter = t([c.k, c.k, ic, depthwise ? 1 : oc]);
      const yShape = [c.n, outSize(c.h, c.stride), outSize(c.w, c.stride), oc];
      const dy = t(yShape);
      const flops = 2 * yShape.reduce((a, b) => a * b, 1) * c.k * c.k * (depthwise ? 1 : ic);
      const geometry = { strides: c.stride, pad: 'same', dilations: 1, dataFormat: 'NHWC' };
      const names = depthwise
        ? ['DepthwiseConv2dNative', 'DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter']
        : ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'];
      return [
        { pass: 'fwd', work: flops, unit: 'GFLOP/s', run: () => runKernel(names[0]!, { x, filter }, geometry) },
        {
          pass: 'bwd-data',
          work: flops,
          unit: 'GFLOP/s',
          run: () => runKernel(names[1]!, { dy, filter }, { ...geometry, inputShape: x.shape }),
        },
        {
          pass: 'bwd-weights',
          work: flops,
          unit: 'GFLOP/s',
          run: () => runKernel(names[2]!, { x, dy }, { ...geometry, filterShape: filter.shape }),
        },
      ];
    }
    case 'bn': {
      // Without src/engine/kernels' pure-tfjs kernel, stock wasm has nothing to time here.
      if (getKernel('CalibraBatchNormTrain', 'wasm') === undefined) return [];
      const channels = c.shape[3];
      const x = t(c.shape);
      const dy = t(c.shape);
      const scale = t([channels]);
      const offset = t([channels]);
      const elems = c.shape.reduce((a, b) => a * b, 1);
      const epsilon = 1e-3;
      const [, mean, variance] = runKernel('CalibraBatchNormTrain', { x, scale, offset }, { epsilon }) as tf.Tensor[];
      keep.push(mean!, variance!);
      return [
        { pass: 'fwd', work: 2 * 4 * elems, unit: 'GB/s', run: () => runKernel('CalibraBatchNormTrain', { x, scale, offset }, { epsilon }) },
        {
          pass: 'bwd',
          work: 3 * 4 * elems,
          unit: 'GB/s',
          run: () => runKernel('CalibraBatchNormTrainGrad', { dy, x, scale, mean: mean!, variance: variance! }, { epsilon }),
        },
      ];
    }
    case 'maxpool':
    case 'avgpool': {
      const x = t(c.shape);
      const yShape = [c.shape[0], Math.floor(c.shape[1] / c.stride), Math.floor(c.shape[2] / c.stride), c.shape[3]];
      const dy = t(yShape);
      const geometry = { filterSize: c.k, strides: c.stride, pad: 'valid' };
      const elems = c.shape.reduce((a, b) => a * b, 1);
      const yElems = yShape.reduce((a, b) => a * b, 1);
      const [fwd, bwd] = c.kind === 'maxpool' ? ['MaxPool', 'MaxPoolGrad'] : ['AvgPool', 'AvgPoolGrad'];
      const y = runKernel(fwd!, { x }, geometry) as TensorInfo;
      keep.push(engine().makeTensorFromTensorInfo(y));
      return [
        { pass: 'fwd', work: 4 * (elems + yElems), unit: 'GB/s', run: () => runKernel(fwd!, { x }, geometry) },
        {
          pass: 'bwd',
          work: 4 * (2 * elems + yElems),
          unit: 'GB/s',
          run: () => runKernel(bwd!, { dy, input: x, output: y }, geometry),
        },
      ];
    }
    case 'matmul': {
      const a = t([c.m, c.k]);
      const b = t([c.k, c.n]);
      const dy = t([c.m, c.n]);
      const flops = 2 * c.m * c.k * c.n;
      return [
        { pass: 'fwd', work: flops, unit: 'GFLOP/s', run: () => runKernel('BatchMatMul', { a, b }, { transposeA: false, transposeB: false }) },
        { pass: 'bwd-data', work: flops, unit: 'GFLOP/s', run: () => runKernel('BatchMatMul', { a: dy, b }, { transposeA: false, transposeB: true }) },
        { pass: 'bwd-weights', work: flops, unit: 'GFLOP/s', run: () => runKernel('BatchMatMul', { a, b: dy }, { transposeA: true, transposeB: false }) },
      ];
    }
  }
}

/** Fastest of at least 3 runs after a warm-up, over at least `budgetMs` when runs are quick. */
function fastestMs(run: () => unknown, budgetMs = 300): number {
  const once = (): number => {
    const start = performance.now();
    tf.dispose(run() as tf.Tensor | tf.Tensor[]);
    return performance.now() - start;
  };
  const warm = once();
  let best = warm;
  let spent = 0;
  for (let i = 0; i < 3 || (spent < budgetMs && i < 200); i++) {
    if (warm > 2000 && i >= 1) break;
    const ms = once();
    best = Math.min(best, ms);
    spent += ms;
  }
  return best;
}

/** Per layer, per pass: milliseconds. */
type Times = Record<string, Partial<Record<Op['pass'], number>>>;

interface Timed {
  times: Times;
  /** Per layer: its passes and their work, in order. */
  passes: Record<string, Pick<Op, 'pass' | 'work' | 'unit'>[]>;
}

function timeBackend(cases: LayerCase[], label: string): Timed {
  const timed: Timed = { times: {}, passes: {} };
  for (const c of cases) {
    const keep: tf.Tensor[] = [];
    const layerOps = ops(c, keep);
    const row: Partial<Record<Op['pass'], number>> = {};
    for (const op of layerOps) row[op.pass] = fastestMs(op.run);
    tf.dispose(keep);
    timed.times[c.name] = row;
    timed.passes[c.name] = layerOps.map(({ pass, work, unit }) => ({ pass, work, unit }));
    process.stderr.write(`  ${label}: ${c.name}\n`);
  }
  return timed;
}

const TORCH_SCRIPT = String.raw`
import json, sys, time
import torch
import torch.nn.functional as F
import os
torch.set_num_threads(int(os.environ['OMP_NUM_THREADS']))
torch.manual_seed(0)
cl = torch.channels_last

def fastest(fn, budget=0.3):
    fn()
    best, spent, i = float('inf'), 0.0, 0
    while i < 3 or (spent < budget and i < 200):
        t = time.perf_counter(); fn(); ms = (time.perf_counter() - t) * 1000
        best = min(best, ms); spent += ms / 1000; i += 1
    return best

def nchw(shape):  # from NHWC
    n, h, w, c = shape
    return torch.randn(n, c, h, w).contiguous(memory_format=cl)

out = {}
with torch.no_grad():
    for c in json.load(sys.stdin):
        k = c['kind']
        if k in ('conv', 'dw'):
            ic = c['c'] if k == 'dw' else c['ic']
            oc = c['c'] if k == 'dw' else c['oc']
            groups = ic if k == 'dw' else 1
            x = nchw([c['n'], c['h'], c['w'], ic])
            w = torch.randn(oc, ic // groups, c['k'], c['k']).contiguous(memory_format=cl)
            s, p = c['stride'], c['k'] // 2
            y = F.conv2d(x, w, None, s, p, 1, groups)
            dy = torch.randn_like(y).contiguous(memory_format=cl)
            bw = lambda mask: torch.ops.aten.convolution_backward(dy, x, w, None, [s, s], [p, p], [1, 1], False, [0, 0], groups, mask)
            out[c['name']] = {'fwd': fastest(lambda: F.conv2d(x, w, None, s, p, 1, groups)),
                              'bwd-data': fastest(lambda: bw([True, False, False])),
                              'bwd-weights': fastest(lambda: bw([False, True, False]))}
        elif k == 'bn':
            x = nchw(c['shape']); dy = torch.randn_like(x).contiguous(memory_format=cl)
            g = torch.randn(x.shape[1]); b = torch.randn(x.shape[1])
            _, mean, invstd = torch.ops.aten.native_batch_norm(x, g, b, None, None, True, 0.1, 1e-3)
            out[c['name']] = {'fwd': fastest(lambda: F.batch_norm(x, None, None, g, b, True, 0.1, 1e-3)),
                              'bwd': fastest(lambda: torch.ops.aten.native_batch_norm_backward(dy, x, g, None, None, mean, invstd, True, 1e-3, [True, True, True]))}
        elif k in ('maxpool', 'avgpool'):
            x = nchw(c['shape']); kk, s = c['k'], c['stride']
            if k == 'maxpool':
                y, idx = F.max_pool2d(x, kk, s, return_indices=True)
                dy = torch.randn_like(y).contiguous(memory_format=cl)
                out[c['name']] = {'fwd': fastest(lambda: F.max_pool2d(x, kk, s)),
                                  'bwd': fastest(lambda: torch.ops.aten.max_pool2d_with_indices_backward(dy, x, [kk, kk], [s, s], [0, 0], [1, 1], False, idx))}
            else:
                y = F.avg_pool2d(x, kk, s)
                dy = torch.randn_like(y).contiguous(memory_format=cl)
                out[c['name']] = {'fwd': fastest(lambda: F.avg_pool2d(x, kk, s)),
                                  'bwd': fastest(lambda: torch.ops.aten.avg_pool2d_backward(dy, x, [kk, kk], [s, s], [0, 0], False, True, None))}
        elif k == 'matmul':
            a = torch.randn(c['m'], c['k']); b = torch.randn(c['k'], c['n']); dy = torch.randn(c['m'], c['n'])
            out[c['name']] = {'fwd': fastest(lambda: a @ b), 'bwd-data': fastest(lambda: dy @ b.t()),
                              'bwd-weights': fastest(lambda: a.t() @ dy)}
print(json.dumps(out))
`;

/** Several rounds of timings, keeping each figure's fastest: on a shared machine one busy spell
 * from another process can spoil every run of a kernel within one round. */
function fastestOf(rounds: Times[]): Times {
  const best: Times = {};
  for (const round of rounds) {
    for (const [layer, passes] of Object.entries(round)) {
      const row = (best[layer] ??= {});
      for (const [pass, ms] of Object.entries(passes) as [Op['pass'], number][]) {
        row[pass] = Math.min(row[pass] ?? Infinity, ms);
      }
    }
  }
  return best;
}

function timeTorch(cases: LayerCase[], threads: number): { times: Times | null; note?: string } {
  const result = spawnSync('/usr/bin/python3', ['-c', TORCH_SCRIPT], {
    input: JSON.stringify(cases),
    env: { ...process.env, OMP_NUM_THREADS: String(threads) },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (result.status !== 0) {
    const why = result.error?.message ?? result.stderr.trim().split('\n').pop() ?? 'unknown error';
    return { times: null, note: `PyTorch not timed: ${why}` };
  }
  return { times: JSON.parse(result.stdout) as Times };
}

interface Row {
  layer: string;
  pass: Op['pass'];
  unit: Op['unit'];
  work: number;
  nativeMs: number | null;
  wasmMs: number | null;
  torchMs: number | null;
}

function rate(work: number, ms: number | null): string {
  return ms === null ? '—' : (work / ms / 1e6).toFixed(1);
}

function ratio(a: number | null, b: number | null): string {
  return a === null || b === null ? '—' : (a / b).toFixed(2);
}

function printTable(rows: Row[]): void {
  const header = ['layer', 'pass', 'native ms', 'wasm ms', 'torch ms', 'native', 'wasm', 'torch', 'unit', 'wasm/native', 'torch/native'];
  const lines = rows.map((r) => [
    r.layer,
    r.pass,
    r.nativeMs?.toFixed(2) ?? '—',
    r.wasmMs?.toFixed(2) ?? '—',
    r.torchMs?.toFixed(2) ?? '—',
    rate(r.work, r.nativeMs),
    rate(r.work, r.wasmMs),
    rate(r.work, r.torchMs),
    r.unit,
    ratio(r.wasmMs, r.nativeMs),
    ratio(r.torchMs, r.nativeMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]): string => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(format(header));
  for (const l of lines) console.log(format(l));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      filter: { type: 'string' },
      'no-wasm': { type: 'boolean', default: false },
      'no-torch': { type: 'boolean', default: false },
      threads: { type: 'string' },
      rounds: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
  });
  const cases = CASES.filter((c) => values.filter === undefined || c.name.includes(values.filter));
  const load = loadAddon();
  if (!load.loaded) throw new Error(`native addon not loaded: ${load.reason}`);
  if (values.threads !== undefined) setNativeThreads(Number(values.threads));
  const info = load.addon.info();
  process.stderr.write(`native: oneDNN ${info.onednn}, ${info.isa}, ${info.threads} threads\n`);

  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  // Stock first: registering the native kernels also aligns the allocations of later tensors.
  const rounds = Math.max(1, Number(values.rounds));
  const wasmRounds = values['no-wasm'] ? [] : Array.from({ length: rounds }, () => timeBackend(cases, 'wasm').times);
  const registration = registerNativeKernels();
  // Native and PyTorch alternate, so that both see the same spells of load from elsewhere.
  const nativeRounds: Timed[] = [];
  const torchRounds: Times[] = [];
  let torchNote = values['no-torch'] ? 'PyTorch not timed (--no-torch)' : undefined;
  for (let i = 0; i < rounds; i++) {
    nativeRounds.push(timeBackend(cases, 'native'));
    if (torchNote !== undefined) continue;
    const torch = timeTorch(cases, info.threads);
    if (torch.times === null) torchNote = torch.note;
    else torchRounds.push(torch.times);
  }
  if (torchNote !== undefined) process.stderr.write(`${torchNote}\n`);
  const declined = registration.kernels.filter((k) => fallbackCount(k) > 0);
  if (declined.length > 0) process.stderr.write(`warning: native kernels fell back for ${declined.join(', ')}\n`);
  const native = { passes: nativeRounds[0]!.passes, times: fastestOf(nativeRounds.map((r) => r.times)) };
  const wasm = wasmRounds.length > 0 ? fastestOf(wasmRounds) : null;
  const torch = torchRounds.length > 0 ? fastestOf(torchRounds) : null;

  const rows: Row[] = cases.flatMap((c) =>
    native.passes[c.name]!.map((op) => ({
      layer: c.name,
      ...op,
      nativeMs: native.times[c.name]?.[op.pass] ?? null,
      wasmMs: wasm?.[c.name]?.[op.pass] ?? null,
      torchMs: torch?.[c.name]?.[op.pass] ?? null,
    })),
  );
  if (values.json) console.log(JSON.stringify({ native: info, rows }));
  else printTable(rows);
}

await main();
