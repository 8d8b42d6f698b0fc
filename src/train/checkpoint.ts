// A training run's checkpoint: everything needed to continue it as if it had never stopped. The
// weights (BN moving statistics included) and the slots of the optimizer of the stage under way
// go to tensors.bin, the rest (which stage, where its loop and schedule stand, the validation so
// far, the step's options, the parent model) to checkpoint.json. A checkpoint folder is replaced whole and atomically, so a kill at any moment
// leaves the previous one or the new one, never a mixture.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { tf } from '../engine/tf.js';
import { InputError } from '../errors.js';
import { writeDirAtomically, writeFileDurably } from '../util/atomic.js';
import { recoverBeside } from '../util/interrupted-writes.js';
import type { BadFile } from '../data/bad-files.js';
import type { OptimizerState, StepOptimizer } from './optimizers.js';
import type { LoopPosition } from './trainer.js';
import type { StagesDone } from './staged-run.js';
import type { MonitorState } from './epoch-monitor.js';
import { packTensors, unpackTensors, type NamedValues, type PackedEntry } from './tensor-pack.js';

const META_FILE = 'checkpoint.json';
const TENSORS_FILE = 'tensors.bin';

export interface ValidationPoint {
  epoch: number;
  accuracy: number;
  /** Mean cross-entropy on the validation images. */
  loss: number;
  n: number;
}

/** What a checkpoint says besides its tensors. */
export interface CheckpointMeta {
  runId: string;
  /** The step's options as the run resolved them (absolute paths): all a resumed run is given. */
  options: Record<string, unknown>;
  /** The model the run started from, and its content hash when it began. */
  parent: { model: string; contentHash: string };
  /** The training data's hash when the run began. */
  dataset: string;
  /** The stage under way (from 0; a run without stages has one) and what the stages before it did. */
  stage: { index: number; before: StagesDone };
  /** Where the stage's own loop stands. */
  at: LoopPosition;
  valHistory: ValidationPoint[];
  /** Files passed over so far, so that the resumed run's list is the whole run's. */
  skipped: BadFile[];
  /** With validation: the keep-best monitor's state (its best epoch's weights are in `best`). */
  monitor: MonitorState | null;
}

/** The tensors of a checkpoint: the model's weights in `model.weights` order, and per trained weight its optimizer slots. */
export interface CheckpointTensors {
  weights: NamedValues[];
  optimizer: { updates: number; slots: { weight: number; values: NamedValues[] }[] };
  /** The best epoch's weights so far under `--keep best`, in `model.weights` order. */
  best: NamedValues[] | null;
}

export type TrainCheckpoint = CheckpointMeta & CheckpointTensors;

/** Where the checkpoint of run `runId` lives under a Calibra home. */
export function checkpointDir(home: string, runId: string): string {
  return join(home, 'checkpoints', runId);
}

async function valuesOf(name: string, t: tf.Tensor): Promise<NamedValues> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  const data = await t.data();
  return { name, shape: [...t.shape], dtype, values: dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data) };
}

/** Reads the model's weights and the optimizer's state as they stand; call it between two steps. */
export async function captureTensors(model: tf.LayersModel, optimizer: StepOptimizer, best: readonly tf.Tensor[] | null = null): Promise<CheckpointTensors> {
  const weights = await Promise.all(model.weights.map((w) => valuesOf(w.originalName, w.read())));
  // A LayerVariable's name is its tf.Variable's, the name the optimizer keys its slots by.
  const indexOf = new Map(model.weights.map((w, i) => [w.name, i]));
  const state = optimizer.state();
  const slots = await Promise.all([...state.slots].map(async ([name, tensors]) => {
    const weight = indexOf.get(name);
    if (weight === undefined) throw new Error(`optimizer state for '${name}', which is not a weight of the model`);
    return { weight, values: await Promise.all(tensors.map((t, i) => valuesOf(`${name}#${i}`, t))) };
  }));
  const bestValues = best ? await Promise.all(best.map((t, i) => valuesOf(`best/${model.weights[i]!.originalName}`, t))) : null;
  return { weights, optimizer: { updates: state.updates, slots }, best: bestValues };
}

interface StoredMeta extends CheckpointMeta {
  version: 1;
  savedAt: string;
  weights: PackedEntry[];
  optimizer: { updates: number; slots: { weight: number; values: PackedEntry[] }[] };
  best: PackedEntry[] | null;
}

/** Replaces the checkpoint in `dir` with this one, atomically. */
export async function writeCheckpoint(dir: string, meta: CheckpointMeta, tensors: CheckpointTensors): Promise<void> {
  const flat = [...tensors.weights, ...tensors.optimizer.slots.flatMap((s) => s.values), ...(tensors.best ?? [])];
  const { index, data } = packTensors(flat);
  const nWeights = tensors.weights.length;
  let next = nWeights;
  const stored: StoredMeta = {
    version: 1, savedAt: new Date().toISOString(), ...meta,
    weights: index.slice(0, nWeights),
    optimizer: { updates: tensors.optimizer.updates, slots: tensors.optimizer.slots.map((s) => ({ weight: s.weight, values: index.slice(next, (next += s.values.length)) })) },
    best: tensors.best ? index.slice(next, next + tensors.best.length) : null,
  };
  await writeDirAtomically(dir, async (partial) => {
    await writeFileDurably(join(partial, TENSORS_FILE), data);
    await writeFileDurably(join(partial, META_FILE), `${JSON.stringify(stored, null, 1)}\n`);
  }, { label: 'checkpoint' });
}

const entrySchema = z.object({ name: z.string(), shape: z.array(z.number().int().min(0)), dtype: z.enum(['float32', 'int32']), offset: z.number().int().min(0) });
const count = z.number().int().min(0);
const metaSchema = z.object({
  version: z.literal(1),
  runId: z.string().min(1),
  options: z.record(z.unknown()),
  parent: z.object({ model: z.string().min(1), contentHash: z.string() }),
  dataset: z.string(),
  // Checkpoints written before runs in stages were checkpointed are of a run of one stage.
  stage: z.object({
    index: count,
    before: z.object({ epochs: count, steps: count, images: count, seconds: z.number().min(0) }),
  }).default({ index: 0, before: { epochs: 0, steps: 0, images: 0, seconds: 0 } }),
  at: z.object({
    epoch: z.number().int().min(1), position: count, steps: count, images: count, epochImages: count,
    epochLoss: z.number(), epochCorrect: z.number(), loss: z.number().nullable(), trainAccuracy: z.number().nullable(), seconds: z.number().min(0),
  }),
  valHistory: z.array(z.object({ epoch: z.number().int(), accuracy: z.number(), loss: z.number(), n: count })),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  weights: z.array(entrySchema),
  optimizer: z.object({ updates: count, slots: z.array(z.object({ weight: count, values: z.array(entrySchema) })) }),
  monitor: z.object({
    best: z.object({ epoch: z.number().int(), value: z.number(), accuracy: z.number(), loss: z.number() }).nullable(),
    sinceBest: count,
  }).nullable(),
  best: z.array(entrySchema).nullable(),
});

/** The checkpoint in `dir`, or null when there is none; one that cannot be read is an InputError naming its file. */
export async function readCheckpoint(dir: string, log?: (line: string) => void): Promise<TrainCheckpoint | null> {
  await recoverBeside(dir, log);
  const metaPath = join(dir, META_FILE);
  const text = await readFile(metaPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new InputError(`${metaPath}: cannot read the checkpoint (${err.message})`);
  });
  if (text === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InputError(`${metaPath}: not valid JSON`);
  }
  const parsed = metaSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${metaPath}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const { version: _version, weights, optimizer, best, ...meta } = parsed.data;
  const tensorsPath = join(dir, TENSORS_FILE);
  const data = await readFile(tensorsPath).catch((err: Error) => {
    throw new InputError(`${tensorsPath}: cannot read the checkpoint's tensors (${err.message})`);
  });
  try {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return {
      ...meta,
      weights: unpackTensors(weights, bytes),
      optimizer: { updates: optimizer.updates, slots: optimizer.slots.map((s) => ({ weight: s.weight, values: unpackTensors(s.values, bytes) })) },
      best: best ? unpackTensors(best, bytes) : null,
    };
  } catch (err) {
    throw new InputError(`${tensorsPath}: ${(err as Error).message}`);
  }
}

/**
 * Puts the checkpoint's weights into `model` and its slots into `optimizer`. The model must be
 * built as the run built it; a weight of another shape is an InputError naming the checkpoint.
 */
export function restoreTensors(model: tf.LayersModel, optimizer: StepOptimizer, checkpoint: CheckpointTensors, where: string): void {
  const weights = model.weights;
  const misfit = (what: string) => new InputError(`${where}: the checkpoint does not fit the model (${what})`);
  if (checkpoint.weights.length !== weights.length) throw misfit(`${checkpoint.weights.length} weights stored, the model has ${weights.length}`);
  checkpoint.weights.forEach((stored, i) => {
    const w = weights[i]!;
    if (stored.shape.join(',') !== w.shape.join(',')) throw misfit(`${stored.name} is [${stored.shape.join(', ')}], ${w.originalName} is [${w.shape.join(', ')}]`);
  });
  checkpoint.weights.forEach((stored, i) => tf.tidy(() => {
    weights[i]!.write(tf.tensor(stored.values, stored.shape, stored.dtype));
  }));
  const slots: OptimizerState['slots'] = new Map();
  for (const s of checkpoint.optimizer.slots) {
    const w = weights[s.weight];
    if (!w) throw misfit(`optimizer slots for weight ${s.weight} of ${weights.length}`);
    const odd = s.values.find((v) => v.shape.join(',') !== w.shape.join(','));
    if (odd) throw misfit(`optimizer slot ${odd.name} is [${odd.shape.join(', ')}], ${w.originalName} is [${w.shape.join(', ')}]`);
    slots.set(w.name, s.values.map((v) => tf.tensor(v.values, v.shape, v.dtype)));
  }
  optimizer.restore({ updates: checkpoint.optimizer.updates, slots });
  for (const tensors of slots.values()) tf.dispose(tensors);
}

/** The checkpoint's best-epoch weights as tensors (model order), for the keeper to own. */
export function bestTensors(checkpoint: TrainCheckpoint): tf.Tensor[] | null {
  return checkpoint.best?.map((v) => tf.tensor(v.values, v.shape, v.dtype)) ?? null;
}
