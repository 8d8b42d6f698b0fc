// `keep: best`: snapshots the model (weights and BN statistics) at each epoch that improves on
// the monitored metric, and puts the best one back when the run ends.
import type { tf } from '../engine/tf.js';
import type { EpochMonitor, Judgement, ValMetrics, BestEpoch, MonitorState } from './epoch-monitor.js';
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

  /** What a checkpoint needs to continue keeping: the monitor's state and the best epoch's weights (model order). */
  checkpointState(): { monitor: MonitorState; best: tf.Tensor[] | null } {
    return { monitor: this.monitor.state, best: this.snapshot?.tensors(this.model) ?? null };
  }

  /** Continues from a checkpoint: the best epoch before the stop stays the one to beat, and to restore. */
  resume(monitor: MonitorState, best: tf.Tensor[] | null): void {
    this.monitor.resume(monitor);
    this.snapshot?.dispose();
    this.snapshot = best && this.keep === 'best' ? WeightSnapshot.of(this.model, best) : null;
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
