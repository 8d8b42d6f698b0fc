// Learning-rate schedules: pure functions of the step, tested alone.
import type { tf } from '../engine/tf.js';

export type Schedule = (step: number) => number;

export function constantLr(lr: number): Schedule {
  return () => lr;
}

/** Linear warm-up over `warmup` steps, then cosine decay from `lr` to `lr · floor` at `total`. */
export function cosineLr(lr: number, total: number, warmup = 0, floor = 0.01): Schedule {
  return (step) => {
    if (step < warmup) return (lr * (step + 1)) / warmup;
    const t = Math.min(1, (step - warmup) / Math.max(1, total - warmup));
    return lr * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * t)));
  };
}

/** tfjs optimizers keep the rate in different places: SGD/momentum precompute it, Adam reads a field. */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate?: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}
