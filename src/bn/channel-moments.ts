// Per-channel moments of a channels-last activation block, in float64 (two passes, so the mean's
// rounding does not leak into m2). AdaBN's exact mode needs them at that precision, which
// tfjs's float32 ops do not give: the native engine computes them in the wasm heap, and every
// other backend here, from the values read back.
import type { Tensor } from '@tensorflow/tfjs-core';
import { nativeChannelMoments } from '../engine/native/channel-moments.js';
import type { ChannelMoments } from './moments.js';

/** The moments of a channels-last tensor with `channels` channels, on whichever engine holds it. */
export function activationMoments(t: Tensor, channels: number): ChannelMoments {
  return nativeChannelMoments(t, channels) ?? channelMoments(t.dataSync() as Float32Array, channels);
}

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
