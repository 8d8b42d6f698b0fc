// Learning-rate schedules: pure functions of the step, tested alone.
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
