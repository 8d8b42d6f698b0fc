// Judges each epoch by one validation metric: whether it is the best so far, and whether the run
// has gone `patience` epochs without improving on it (early stopping). Pure, so tested alone.

export const MONITORS = ['val_accuracy', 'val_loss'] as const;
export type Monitor = (typeof MONITORS)[number];

export interface ValMetrics {
  accuracy: number;
  loss: number;
}

export interface BestEpoch extends ValMetrics {
  epoch: number;
  /** The monitored metric's value. */
  value: number;
}

export interface Judgement {
  /** Strictly better than every earlier epoch (the first epoch always is). */
  improved: boolean;
  /** `patience` epochs in a row have not improved. */
  stop: boolean;
}

/** Where a monitor stands, for a checkpoint: the best epoch so far and the epochs since it. */
export interface MonitorState {
  best: BestEpoch | null;
  sinceBest: number;
}

export class EpochMonitor {
  private bestSoFar: BestEpoch | null = null;
  private sinceBest = 0;

  constructor(readonly monitor: Monitor, private readonly patience?: number) {}

  get best(): BestEpoch | null {
    return this.bestSoFar;
  }

  get state(): MonitorState {
    return { best: this.bestSoFar, sinceBest: this.sinceBest };
  }

  /** Continues from a checkpoint's state, as if the epochs before it had been observed here. */
  resume(state: MonitorState): void {
    this.bestSoFar = state.best;
    this.sinceBest = state.sinceBest;
  }

  observe(epoch: number, metrics: ValMetrics): Judgement {
    const value = this.monitor === 'val_accuracy' ? metrics.accuracy : metrics.loss;
    const improved = this.bestSoFar === null || this.better(value, this.bestSoFar.value);
    if (improved) {
      this.bestSoFar = { epoch, value, ...metrics };
      this.sinceBest = 0;
    } else {
      this.sinceBest++;
    }
    return { improved, stop: this.patience !== undefined && this.sinceBest >= this.patience };
  }

  /** A diverged epoch's NaN is worse than any number, and any number improves on it. */
  private better(value: number, than: number): boolean {
    if (Number.isNaN(value)) return false;
    if (Number.isNaN(than)) return true;
    return this.monitor === 'val_accuracy' ? value > than : value < than;
  }
}
