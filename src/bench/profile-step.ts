// Where a step's time goes, per kernel, from tf.profile. Kernels built from other kernels call
// them directly, so their time includes their parts and nothing is counted twice.
import { getKernel } from '@tensorflow/tfjs-core';
import { tf } from '../engine/tf.js';

export interface KernelShare {
  kernel: string;
  ms: number;
  calls: number;
}

export interface StepProfile {
  /** Steps profiled; every figure is per step, averaged over them. */
  steps: number;
  /** Wall time of a profiled step. */
  stepMs: number;
  /** Sum over kernels; the rest of stepMs is JS work between kernels (tape, tidy, dispatch). */
  kernelMs: number;
  kernels: KernelShare[];
}

/** Averaged over a few steps: one step's kernels move by milliseconds when a thread wakes late. */
export async function profileStep(step: () => Promise<unknown>, steps = 5): Promise<StepProfile> {
  const backend = tf.getBackend();
  const start = performance.now();
  const info = await tf.profile(async () => {
    for (let i = 0; i < steps; i++) await step();
  });
  const stepMs = (performance.now() - start) / steps;
  const byKernel = new Map<string, KernelShare>();
  for (const k of info.kernels) {
    // Scopes such as customGrad's `fusedConv2d__op` enclose kernels that are listed themselves.
    if (!getKernel(k.name, backend)) continue;
    const entry = byKernel.get(k.name) ?? { kernel: k.name, ms: 0, calls: 0 };
    entry.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    entry.calls += 1;
    byKernel.set(k.name, entry);
  }
  const kernels = [...byKernel.values()].sort((a, b) => b.ms - a.ms).map((k) => ({ ...k, ms: Number((k.ms / steps).toFixed(2)), calls: k.calls / steps }));
  return { steps, stepMs: Number(stepMs.toFixed(1)), kernelMs: Number(kernels.reduce((s, k) => s + k.ms, 0).toFixed(1)), kernels };
}
