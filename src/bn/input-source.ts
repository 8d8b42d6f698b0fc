// Unlabelled images as the preprocessed input batches that AdaBN and the drift inspector run on.
// The loader keeps decoded pixels, so a second pass over the folder does not decode again.
import { BadFileReport } from '../data/bad-files.js';
import { streamBatches } from '../data/batches.js';
import { abortable } from '../train/batch-source.js';
import { ImageLoader } from '../data/load-image.js';
import { inputTensor } from '../models/input-tensor.js';
import type { Manifest } from '../models/manifest.js';
import type { InputSource } from './adabn.js';

export interface ImageSourceArgs {
  files: readonly string[];
  manifest: Pick<Manifest, 'inputShape' | 'preprocessing'>;
  batchSize: number;
  /** Where unreadable files go; each is reported once however many passes meet it. */
  badFiles: BadFileReport;
  /** Ctrl+C: the pass ends with the signal's reason. */
  signal?: AbortSignal;
}

export function imageSource(args: ImageSourceArgs): InputSource {
  const { manifest } = args;
  const [h, w] = manifest.inputShape;
  const loader = new ImageLoader({ size: [h, w], mode: manifest.preprocessing.resize });
  const items = args.files.map((path) => ({ path }));
  return async function* () {
    for await (const b of abortable(streamBatches(items, { batchSize: args.batchSize, loader, badFiles: args.badFiles }), args.signal)) {
      yield inputTensor(b.x, b.n, manifest.inputShape, manifest.preprocessing);
    }
  };
}
