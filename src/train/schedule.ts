// Learning-rate schedules: pure functions of the optimizer step (0-based), tested alone at their
// turning points.
export type Schedule = (step: number) => number;

export const SCHEDULES = ['constant', 'cosine', 'onecycle', 'step'] as const;
export type ScheduleKind = (typeof SCHEDULES)[number];

export function constantLr(lr: number, warmup = 0): Schedule {
  return (step) => (step < warmup ? (lr * (step + 1)) / warmup : lr);
}

/** Linear warm-up over `warmup` steps, then cosine decay from `lr` to `lr · floor` at `total`. */
export function cosineLr(lr: number, total: number, warmup = 0, floor = 0.01): Schedule {
  return (step) => {
    if (step < warmup) return (lr * (step + 1)) / warmup;
    const t = Math.min(1, (step - warmup) / Math.max(1, total - warmup));
    return lr * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * t)));
  };
}

/**
 * The one-cycle policy (Smith 2018, as fastai and PyTorch's OneCycleLR run it): a cosine rise from
 * lr/25 to lr over the first `rise` steps (30% of the run by default), then a cosine fall to
 * lr/25/10⁴ at `total`.
 */
export function oneCycleLr(lr: number, total: number, rise = Math.round(0.3 * total)): Schedule {
  const start = lr / 25;
  const end = start / 1e4;
  const cos = (from: number, to: number, t: number) => to + ((from - to) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, t))))) / 2;
  return (step) => (step < rise ? cos(start, lr, step / Math.max(1, rise)) : cos(lr, end, (step - rise) / Math.max(1, total - rise)));
}

/** After warm-up, lr until half the run, lr/10 until three quarters, then lr/100 (the ResNet recipe). */
export function stepLr(lr: number, total: number, warmup = 0): Schedule {
  return (step) => {
    if (step < warmup) return (lr * (step + 1)) / warmup;
    const t = (step - warmup) / Math.max(1, total - warmup);
    return t < 0.5 ? lr : t < 0.75 ? lr / 10 : lr / 100;
  };
}

/** `warmup` is the rise of a one-cycle schedule and a linear warm-up for the others. */
export function scheduleFor(kind: ScheduleKind, lr: number, total: number, warmup = 0): Schedule {
  switch (kind) {
    case 'constant': return constantLr(lr, warmup);
    case 'cosine': return cosineLr(lr, total, warmup);
    case 'onecycle': return warmup > 0 ? oneCycleLr(lr, total, warmup) : oneCycleLr(lr, total);
    case 'step': return stepLr(lr, total, warmup);
  }
}
