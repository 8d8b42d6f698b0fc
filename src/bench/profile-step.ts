// Where a step's time goes, per kernel. Not tf.profile: on the wasm backend it copies every
// kernel's output out of the heap inside the kernel's time (dataSync, no backend timer) and
// scans it for NaNs after, which on a MobileNetV2 step added about 27 ms to a 150 ms step.
// Here each kernel the engine dispatches is timed by a wrapper around its registered function,
// and nothing else is done to its outputs. A kernel built from others calls their functions
// directly, not through the engine, so its time includes its parts and nothing counts twice.
import { getKernelsForBackend, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
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

/** Wraps every kernel registered for the current backend with a timer; returns the undo. */
function timeKernels(byKernel: Map<string, KernelShare>): () => void {
  const configs = getKernelsForBackend(tf.getBackend()) as KernelConfig[];
  const originals = configs.map((c) => c.kernelFunc);
  // A kernel that dispatches another through the engine: only the outer one is counted.
  let depth = 0;
  configs.forEach((config, i) => {
    const run = originals[i]!;
    const timed: KernelFunc = (args) => {
      if (depth > 0) return run(args);
      depth++;
      const start = performance.now();
      try {
        return run(args);
      } finally {
        depth--;
        const entry = byKernel.get(config.kernelName) ?? { kernel: config.kernelName, ms: 0, calls: 0 };
        entry.ms += performance.now() - start;
        entry.calls += 1;
        byKernel.set(config.kernelName, entry);
      }
    };
    // The engine looks a kernel up in the registry on every call, so replacing the function on
    // the registered config takes effect at once.
    (config as { kernelFunc: KernelFunc }).kernelFunc = timed;
  });
  return () => configs.forEach((config, i) => ((config as { kernelFunc: KernelFunc }).kernelFunc = originals[i]!));
}

/** Averaged over a few steps: one step's kernels move by milliseconds when a thread wakes late. */
export async function profileStep(step: () => Promise<unknown>, steps = 5): Promise<StepProfile> {
  const byKernel = new Map<string, KernelShare>();
  const restore = timeKernels(byKernel);
  const start = performance.now();
  try {
    for (let i = 0; i < steps; i++) await step();
  } finally {
    restore();
  }
  const stepMs = (performance.now() - start) / steps;
  const kernels = [...byKernel.values()].sort((a, b) => b.ms - a.ms).map((k) => ({ ...k, ms: Number((k.ms / steps).toFixed(2)), calls: k.calls / steps }));
  return { steps, stepMs: Number(stepMs.toFixed(1)), kernelMs: Number(kernels.reduce((s, k) => s + k.ms, 0).toFixed(1)), kernels };
}
