import type { Batch } from '../data/batches.js';

/**
 * A fresh pass over the data for each epoch (the epoch number seeds its shuffle), from the start
 * or from `start`, a position a batch of the same pass reported as its `end`.
 */
export type BatchSource = (epoch: number, start?: number) => AsyncIterable<Batch>;

/** A pass that ends with the signal's reason as soon as it is aborted (Ctrl+C), between two batches. */
export async function* abortable<T>(batches: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  for await (const batch of batches) {
    signal?.throwIfAborted();
    yield batch;
  }
}
