/** A batch of decoded images: `x` is n·h·w·3 pixels in 0..255, RGB, row-major HWC. */
export interface Batch {
  x: Float32Array;
  y: Int32Array;
  n: number;
  /**
   * The pass's position after this batch, for a source that can start mid-pass; without it the
   * position counts images, which is the same wherever no file is passed over.
   */
  end?: number;
}

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
