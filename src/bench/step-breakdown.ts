// One training step's time, Calibra's and PyTorch's, in the same few parts, so that the two
// profiles (tfjs kernels, aten ops) can be read side by side: which part of the gap is the
// convolutions both run on the same oneDNN, which is BN, which is the framework between ops.
import type { StepProfile } from './profile-step.js';
import type { TorchProfile } from './torch-reference.js';

export const STEP_PARTS = ['convolution', 'batch norm', 'activation', 'matmul', 'optimizer', 'other ops', 'framework'] as const;
export type StepPart = (typeof STEP_PARTS)[number];

/** Milliseconds per step in each part; `framework` is the step's time outside every kernel or op. */
export type StepBreakdown = Record<StepPart, number> & { step: number };

const PATTERNS: readonly [StepPart, RegExp][] = [
  ['convolution', /conv/i],
  ['batch norm', /batch_?norm/i],
  ['matmul', /matmul|^aten::(addmm|mm|bmm|linear)$/i],
  ['activation', /relu|clip_?by_?value|clamp|hardtanh|threshold_backward|sigmoid|tanh/i],
];

/** The part a tfjs kernel's time belongs to. A BN kernel fused with its ReLU counts as batch norm. */
export function kernelPart(kernel: string): StepPart {
  if (/Update$/.test(kernel)) return 'optimizer';
  return PATTERNS.find(([, re]) => re.test(kernel))?.[0] ?? 'other ops';
}

/**
 * The part of a PyTorch profiler event, or null when it is not an op's own work: events that
 * are not aten ops (autograd's bookkeeping, optimizer.step()'s Python) are framework time, as
 * the JS between tfjs kernels is on Calibra's side.
 */
export function torchOpPart(op: string, inOptimizer: boolean): StepPart | null {
  if (!op.startsWith('aten::')) return null;
  if (inOptimizer) return 'optimizer';
  return PATTERNS.find(([, re]) => re.test(op))?.[0] ?? 'other ops';
}

function breakdown(stepMs: number, items: readonly { part: StepPart | null; ms: number }[]): StepBreakdown {
  const parts = Object.fromEntries(STEP_PARTS.map((p) => [p, 0])) as Record<StepPart, number>;
  for (const { part, ms } of items) if (part !== null) parts[part] += ms;
  const inOps = STEP_PARTS.reduce((sum, p) => sum + parts[p], 0);
  // Per-op timers and the step's clock are read separately; a few hundredths of a ms of
  // rounding can put the ops' sum over the step.
  parts.framework = Math.max(0, stepMs - inOps);
  return { ...parts, step: stepMs };
}

export function calibraBreakdown(p: StepProfile): StepBreakdown {
  return breakdown(p.stepMs, p.kernels.map((k) => ({ part: kernelPart(k.kernel), ms: k.ms })));
}

export function torchBreakdown(p: TorchProfile): StepBreakdown {
  return breakdown(p.step_ms, p.ops.map((o) => ({ part: torchOpPart(o.op, o.optimizer), ms: o.ms })));
}
