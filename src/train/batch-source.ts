/** A batch of decoded images: `x` is n·h·w·3 pixels in 0..255, RGB, row-major HWC. */
export interface Batch {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

/** A fresh pass over the data for each epoch (the epoch number seeds its shuffle). */
export type BatchSource = (epoch: number) => AsyncIterable<Batch>;
