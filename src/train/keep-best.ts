// `keep: best`: snapshots the model (weights and BN statistics) at each epoch that improves on
// the monitored metric, and puts the best one back when the run ends.
import type { tf } from '../engine/tf.js';
import type { EpochMonitor, Judgement, ValMetrics, BestEpoch } from './epoch-monitor.js';
import { WeightSnapshot } from './weight-snapshot.js';

export type KeepMode = 'best' | 'last';

export class EpochKeeper {
  private snapshot: WeightSnapshot | null = null;

  constructor(private readonly model: tf.LayersModel, readonly monitor: EpochMonitor, readonly keep: KeepMode) {}

  observe(epoch: number, metrics: ValMetrics): Judgement {
    const judgement = this.monitor.observe(epoch, metrics);
    if (judgement.improved && this.keep === 'best') {
      this.snapshot?.dispose();
      this.snapshot = WeightSnapshot.take(this.model);
    }
    return judgement;
  }

  /**
   * Leaves the model as the epoch to save and says which one that is: the best, restored when
   * later epochs moved away from it, or the last one run.
   */
  finish(lastEpoch: number): { keptEpoch: number; best: BestEpoch | null } {
    const best = this.monitor.best;
    const keptEpoch = this.keep === 'best' && best ? best.epoch : lastEpoch;
    if (keptEpoch !== lastEpoch) this.snapshot!.restore(this.model);
    this.dispose();
    return { keptEpoch, best };
  }

  dispose(): void {
    this.snapshot?.dispose();
    this.snapshot = null;
  }
}
