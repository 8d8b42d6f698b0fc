// Unlabelled images as the preprocessed input batches that AdaBN and the drift inspector run on:
// the one unlabelled feed, in file order, as model inputs. Its loader keeps decoded pixels, so a
// second pass over the files does not decode again.
import type { BadFileReport } from '../data/bad-files.js';
import { abortable } from '../train/batch-source.js';
import { unlabelledFeed } from '../train/data-feed.js';
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
  const feed = unlabelledFeed(args.files, manifest, { batchSize: args.batchSize, shuffle: false, seed: 0, badFiles: args.badFiles });
  return async function* () {
    for await (const b of abortable(feed.source(0), args.signal)) {
      yield inputTensor(b.x, b.n, manifest.inputShape, manifest.preprocessing);
    }
  };
}
