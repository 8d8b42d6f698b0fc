// Listens on BN layers' observer hook and merges the moments of every input they normalise,
// exactly (Chan), while keeping the layers from moving their averages on their own. Merged
// accumulation folds one step's moments in once; TENT sets the run's moments at the end.
import type { BnObserver, CalibraBatchNorm } from '../bn/batch-norm-layer.js';
import { batchMoments, emptyMoments, mergeMoments, momentsVariance, type ChannelMoments } from '../bn/moments.js';

export class BnMomentsTap {
  private readonly merged = new Map<CalibraBatchNorm, ChannelMoments>();
  private readonly saved: { layer: CalibraBatchNorm; observer: BnObserver | null; movesAverages: boolean }[];

  constructor(layers: readonly CalibraBatchNorm[]) {
    this.saved = layers.map((layer) => ({ layer, observer: layer.observer, movesAverages: layer.movesAverages }));
    for (const { layer, observer } of this.saved) {
      layer.movesAverages = false;
      // A listener already there (an inspector, an outer tap) keeps hearing every call.
      layer.observer = (l, m) => {
        const soFar = this.merged.get(l) ?? emptyMoments(m.mean.length);
        this.merged.set(l, mergeMoments(soFar, batchMoments(m.mean, m.variance, m.count)));
        observer?.(l, m);
      };
    }
  }

  /** One momentum step per layer towards the moments heard since the last take. */
  foldIntoAverages(): void {
    for (const [layer, m] of this.take()) layer.foldIntoAverages(m.mean, momentsVariance(m));
  }

  /** Sets each layer's moving statistics to the moments heard since the last take. */
  setMovingStatistics(): void {
    for (const [layer, m] of this.take()) layer.setMovingStatistics(m.mean, momentsVariance(m));
  }

  /** Gives the layers back their own observer and averaging. */
  detach(): void {
    for (const { layer, observer, movesAverages } of this.saved) {
      layer.observer = observer;
      layer.movesAverages = movesAverages;
    }
  }

  private take(): Map<CalibraBatchNorm, ChannelMoments> {
    const out = new Map(this.merged);
    this.merged.clear();
    return out;
  }
}
