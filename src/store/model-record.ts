// What the store keeps per registered model: where its zoo copy is, where it came from, and what
// `calibra models` lists without building it. The zoo copy's manifest carries the content hash
// that every load checks; the per-file sha256 here records exactly which bytes were installed.
import { z } from 'zod';

export interface ModelFileRecord {
  /** Relative to the model's folder. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface ModelRecord {
  /** The zoo id: what `--model` takes. */
  name: string;
  /** The model.json of the zoo copy under CALIBRA_HOME/models/<name>/. */
  path: string;
  /** `pull`: downloaded from `source` (a URL); `add`: copied from `source` (a local path). */
  origin: 'pull' | 'add';
  source: string;
  addedAt: string;
  description: string;
  classes: string[];
  inputShape: [number, number, number];
  bnLayers: number;
  contentHash: string;
  files: ModelFileRecord[];
}

export const modelRecordSchema = z.object({
  name: z.string().min(1),
  path: z.string().min(1),
  origin: z.enum(['pull', 'add']),
  source: z.string(),
  addedAt: z.string(),
  description: z.string(),
  classes: z.array(z.string()),
  inputShape: z.tuple([z.number(), z.number(), z.number()]),
  bnLayers: z.number().int().nonnegative(),
  contentHash: z.string(),
  files: z.array(z.object({ path: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string() })),
}).passthrough();
