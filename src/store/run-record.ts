// What the store keeps per run, and the check a store file must pass before Calibra reads or
// rewrites it. The check covers what readers rely on and lets other fields through, so records
// written by older versions stay valid.
import { z } from 'zod';
import { modelRecordSchema, type ModelRecord } from './model-record.js';
import type { ProcessIdentity } from './process-identity.js';

export const RUN_STATUSES = ['running', 'finished', 'failed', 'stopped', 'killed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
  valAccuracy?: number;
  /** Images trained on and the epoch's seconds (without its validation); absent in older records. */
  images?: number;
  seconds?: number;
}

export interface RunRecord {
  id: string;
  command: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  backend: string;
  config: Record<string, unknown>;
  epochs: EpochRecord[];
  result: Record<string, unknown> | null;
  error: string | null;
  /** `resumedFrom`: the stopped or killed run this one continues from its checkpoint. */
  lineage: { parentModel: string | null; dataset: string | null; outputModel: string | null; resumedFrom?: string };
  /** The process that runs or ran it; how a later command tells a dead `running` run. */
  process?: ProcessIdentity;
  /** When the run last showed progress (ISO time); kept when it is found killed. */
  lastSeen?: string;
}

export interface StoreData {
  version: 1;
  runs: RunRecord[];
  /** Models registered by `models pull` and `models add`; absent in stores written before them. */
  models?: ModelRecord[];
}

const runSchema = z.object({
  id: z.string().min(1),
  command: z.string(),
  status: z.enum(RUN_STATUSES),
  startedAt: z.string(),
  backend: z.string(),
  config: z.record(z.unknown()),
  epochs: z.array(z.object({ epoch: z.number() }).passthrough()),
  result: z.record(z.unknown()).nullable(),
  error: z.string().nullable(),
  lineage: z.object({}).passthrough(),
  process: z.object({ host: z.string(), pid: z.number().int(), start: z.string().nullable() }).optional(),
  lastSeen: z.string().optional(),
}).passthrough();

export const storeSchema = z.object({ version: z.literal(1), runs: z.array(runSchema), models: z.array(modelRecordSchema).optional() }).passthrough();

/** Null when `raw` is a valid store, else what is wrong with it, naming where. */
export function storeProblem(raw: unknown): string | null {
  const parsed = storeSchema.safeParse(raw);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  const at = issue.path.length > 0 ? issue.path.join('.') : 'the top level';
  return `not a Calibra run store (${at}: ${issue.message}; expected {"version":1,"runs":[…]})`;
}
