// Per-channel moments of a tensor that lives in the wasm heap, computed there by the addon (see
// native/channel_moments.cc) rather than after copying the tensor out to JS.
import type { Tensor } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';
import type { ChannelMoments } from '../../bn/moments.js';
import { loadAddon } from './load-addon.js';
import { nativeKernelsActive } from './register-all.js';
import { asWasmHeapBackend, heap, offsetOf } from './wasm-heap.js';

/** Undefined unless the native engine is the one running: the caller then computes them itself. */
export function nativeChannelMoments(t: Tensor, channels: number): ChannelMoments | undefined {
  if (t.dtype !== 'float32' || tf.getBackend() !== 'wasm' || !nativeKernelsActive()) return undefined;
  const load = loadAddon();
  if (!load.loaded) return undefined;
  const backend = asWasmHeapBackend(tf.backend());
  const count = t.size / channels;
  const both = load.addon.channelMoments(heap(backend), count, channels, offsetOf(backend, t));
  return { count, mean: both.subarray(0, channels), m2: both.subarray(channels) };
}
