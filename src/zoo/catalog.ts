// The public tfjs layers models `calibra models pull` knows, at their published addresses. No
// checksums are given for them: none are published, and a checksum not taken from the real files
// would be invented. A pull checks them by size instead (see pull.ts) and records the sha256 of
// what it got. A catalog file (CALIBRA_ZOO_CATALOG) adds entries or replaces these, and may give
// sha256s, which a pull then enforces.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { isZooId } from '../models/zoo.js';

export interface CatalogEntry {
  name: string;
  /** The published address of model.json; its weight files sit beside it. */
  url: string;
  description: string;
  /** Files beside model.json that the model needs too (class names, Teachable Machine metadata). */
  extraFiles?: string[];
  /** sha256 (hex) by file path relative to model.json; where given, a mismatch refuses the pull. */
  sha256?: Record<string, string>;
}

const TFJS_MODELS = 'https://storage.googleapis.com/tfjs-models/tfjs';
const TEACHABLE_MACHINE = 'https://storage.googleapis.com/teachable-machine-models';

const mobilenetV1 = (alpha: string): CatalogEntry => ({
  name: `mobilenet-v1-${alpha}-224`,
  url: `${TFJS_MODELS}/mobilenet_v1_${alpha}_224/model.json`,
  description: `MobileNet v1 α=${alpha}, ImageNet 1000 classes (tfjs build)`,
});

export const BUILT_IN_CATALOG: readonly CatalogEntry[] = [
  mobilenetV1('0.25'),
  mobilenetV1('0.50'),
  mobilenetV1('0.75'),
  mobilenetV1('1.0'),
  {
    name: 'mobilenet-v2-1.0-224',
    url: `${TFJS_MODELS}/mobilenet_v2_1.0_224/model.json`,
    description: 'MobileNet v2 α=1.0, ImageNet 1000 classes (tfjs build)',
  },
  {
    name: 'mobilenet-v2-0.35-224-tm',
    url: `${TEACHABLE_MACHINE}/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/model.json`,
    description: "MobileNet v2 α=0.35 ImageNet base, no top: Teachable Machine's",
  },
];

const entrySchema = z.object({
  name: z.string().refine(isZooId, 'a plain name (letters, digits, . _ -)'),
  url: z.string().url(),
  description: z.string().default(''),
  extraFiles: z.array(z.string()).optional(),
  sha256: z.record(z.string().regex(/^[0-9a-f]{64}$/i, 'a sha256 in hex')).optional(),
});
const catalogSchema = z.object({ models: z.array(entrySchema) });

function readCatalogFile(path: string): CatalogEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`CALIBRA_ZOO_CATALOG=${path}: cannot read it as JSON (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`CALIBRA_ZOO_CATALOG=${path}: ${issue.path.join('.') || '(root)'}: ${issue.message} (expected {"models":[{"name","url",…}]})`);
  }
  return parsed.data.models;
}

/** The built-in entries, with those of the catalog file (if any) added or put in their place. */
export function catalog(file = process.env.CALIBRA_ZOO_CATALOG): CatalogEntry[] {
  const byName = new Map(BUILT_IN_CATALOG.map((e) => [e.name, e]));
  if (file) for (const e of readCatalogFile(file)) byName.set(e.name, e);
  return [...byName.values()];
}

export function catalogEntry(name: string, entries: readonly CatalogEntry[]): CatalogEntry {
  const entry = entries.find((e) => e.name === name);
  if (!entry) throw new InputError(`models pull ${name}: not a known model; known: ${entries.map((e) => e.name).join(', ')}`);
  return entry;
}

/**
 * Where to fetch an entry's model.json: its published address, or on a mirror (`--from`,
 * CALIBRA_ZOO_URL) BASE/NAME/model.json, with its files beside it as at the published address.
 */
export function modelJsonUrl(entry: CatalogEntry, mirror: string | undefined, flag: string): URL {
  if (mirror === undefined || mirror === '') return new URL(entry.url);
  let base: URL;
  try {
    base = new URL(mirror.endsWith('/') ? mirror : `${mirror}/`);
  } catch {
    throw new InputError(`${flag} ${mirror}: not a URL (expected e.g. http://mirror.example/calibra-zoo/)`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new InputError(`${flag} ${mirror}: only http and https mirrors are supported`);
  return new URL(`${encodeURIComponent(entry.name)}/model.json`, base);
}
