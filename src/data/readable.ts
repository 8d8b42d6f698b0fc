// Whether a list of images holds anything to work with. Bad files only show themselves when
// decoded, so this decodes in order until one succeeds: one decode for a sound folder, and for
// a folder of nothing but bad files, every one of them, each reported once.

import type { BadFileReport } from './bad-files.js';
import type { ImageLoader } from './load-image.js';

/** The first path that decodes, or null; the failures on the way go to badFiles. */
export async function firstReadable(
  paths: readonly string[],
  loader: ImageLoader,
  badFiles: BadFileReport,
): Promise<string | null> {
  for (const path of paths) {
    const result = await loader.load(path);
    if (result.ok) return path;
    badFiles.add(path, result.reason);
  }
  return null;
}
