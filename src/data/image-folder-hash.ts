// Identifies an unlabelled image folder for lineage: the relative paths and byte sizes of its
// images, so renaming, adding or replacing a file changes it while moving the folder does not.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';

export async function imageFolderHash(root: string, files: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  for (const file of files) {
    const size = await stat(file).then((s) => s.size, () => -1);
    h.update(`${relative(root, file)}\t${size}\n`);
  }
  return h.digest('hex').slice(0, 16);
}
