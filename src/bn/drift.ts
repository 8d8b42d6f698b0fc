// How far a BN layer's held statistics are from those of the inputs it actually gets, per
// channel, treating each as a Gaussian. Pure, so tested alone against hand computations.
//
// With a = σ²_held + ε, b = σ²_data + ε and Δ = μ_data − μ_held for one channel (ε being the
// layer's epsilon, which it adds to every variance it normalises with):
//   drift     = KL(N_held ‖ N_data) + KL(N_data ‖ N_held) = (a + Δ²)/(2b) + (b + Δ²)/(2a) − 1
//               (the log terms of the two directions cancel);
//   meanShift = |Δ| / √a, the shift in units of the held standard deviation;
//   varRatio  = b / a.
// Each is averaged over the layer's channels. Equal variances give drift = meanShift²; equal
// means give drift = (r + 1/r)/2 − 1 for a variance ratio r.

export interface ChannelStats {
  mean: ArrayLike<number>;
  variance: ArrayLike<number>;
}

export interface DriftMeasures {
  drift: number;
  meanShift: number;
  varRatio: number;
}

export function channelDrift(held: ChannelStats, data: ChannelStats, epsilon: number): DriftMeasures {
  const channels = held.mean.length;
  if (channels === 0 || held.variance.length !== channels || data.mean.length !== channels || data.variance.length !== channels) {
    throw new RangeError(`channel counts differ or are zero: held ${held.mean.length}/${held.variance.length}, data ${data.mean.length}/${data.variance.length}`);
  }
  let drift = 0;
  let meanShift = 0;
  let varRatio = 0;
  for (let c = 0; c < channels; c++) {
    const a = held.variance[c]! + epsilon;
    const b = data.variance[c]! + epsilon;
    const d2 = (data.mean[c]! - held.mean[c]!) ** 2;
    drift += (a + d2) / (2 * b) + (b + d2) / (2 * a) - 1;
    meanShift += Math.sqrt(d2 / a);
    varRatio += b / a;
  }
  return { drift: drift / channels, meanShift: meanShift / channels, varRatio: varRatio / channels };
}
