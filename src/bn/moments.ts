// Per-channel population moments, merged exactly across batches (Chan, Golub & LeVeque's
// parallel update, with the between-batch term). AdaBN and the merged micro-batch statistics of
// gradient accumulation both build on this; a moving average would weight batches unequally.
// Pure, in float64, so tested alone against a two-pass computation.

export interface ChannelMoments {
  /** Values per channel seen so far (images × height × width for a conv feature map). */
  readonly count: number;
  readonly mean: Float64Array;
  /** Sum of squared deviations from the mean, per channel. */
  readonly m2: Float64Array;
}

export function emptyMoments(channels: number): ChannelMoments {
  return { count: 0, mean: new Float64Array(channels), m2: new Float64Array(channels) };
}

/** The moments of one batch from its per-channel mean and biased (divide-by-count) variance. */
export function batchMoments(mean: ArrayLike<number>, biasedVariance: ArrayLike<number>, count: number): ChannelMoments {
  if (mean.length !== biasedVariance.length) throw new RangeError(`mean has ${mean.length} channels, variance ${biasedVariance.length}`);
  const m2 = new Float64Array(mean.length);
  for (let c = 0; c < mean.length; c++) m2[c] = biasedVariance[c]! * count;
  return { count, mean: Float64Array.from(mean), m2 };
}

/** The moments of the union of two disjoint sets of values. */
export function mergeMoments(a: ChannelMoments, b: ChannelMoments): ChannelMoments {
  if (a.mean.length !== b.mean.length) throw new RangeError(`cannot merge ${a.mean.length} channels with ${b.mean.length}`);
  if (a.count === 0) return b;
  if (b.count === 0) return a;
  const count = a.count + b.count;
  const wb = b.count / count;
  const between = (a.count * b.count) / count;
  const mean = new Float64Array(a.mean.length);
  const m2 = new Float64Array(a.mean.length);
  for (let c = 0; c < mean.length; c++) {
    const delta = b.mean[c]! - a.mean[c]!;
    mean[c] = a.mean[c]! + delta * wb;
    m2[c] = a.m2[c]! + b.m2[c]! + delta * delta * between;
  }
  return { count, mean, m2 };
}

/** Unbiased (count − 1) by default, as BN's moving variance is stored; biased on request. */
export function momentsVariance(m: ChannelMoments, kind: 'unbiased' | 'biased' = 'unbiased'): Float64Array {
  const d = kind === 'unbiased' ? Math.max(m.count - 1, 1) : Math.max(m.count, 1);
  return m.m2.map((v) => v / d);
}
