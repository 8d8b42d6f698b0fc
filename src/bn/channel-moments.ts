// Per-channel moments of a channels-last activation block, in float64. AdaBN's exact mode takes
// its statistics from activations it already holds on the JS side, so this runs there rather
// than as tensor ops that would copy the block back onto the backend.
import type { ChannelMoments } from './moments.js';

/** `values` is channels-last (… × channels); two passes, so the mean's rounding does not leak into m2. */
export function channelMoments(values: Float32Array, channels: number): ChannelMoments {
  if (channels < 1 || values.length % channels !== 0) throw new RangeError(`${values.length} values do not split into ${channels} channels`);
  const count = values.length / channels;
  const mean = new Float64Array(channels);
  for (let i = 0; i < values.length; i += channels) for (let c = 0; c < channels; c++) mean[c] += values[i + c]!;
  for (let c = 0; c < channels; c++) mean[c] /= Math.max(count, 1);
  const m2 = new Float64Array(channels);
  for (let i = 0; i < values.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const d = values[i + c]! - mean[c]!;
      m2[c] += d * d;
    }
  }
  return { count, mean, m2 };
}
