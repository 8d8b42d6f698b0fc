// What ties a train step to its checkpoints: the options as a checkpoint keeps them, and the
// checks that a resumed step continues the same run on the same inputs.
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { InputError } from '../../errors.js';
import { checkpointDir, readCheckpoint, type CheckpointMeta, type TrainCheckpoint } from '../../train/checkpoint.js';
import type { StagedPosition } from '../../train/staged-run.js';
import type { TrainStep } from '../schema.js';

/**
 * The options a checkpoint keeps: paths made absolute (a resume may start in another folder),
 * the model as the model.json it was found at, and no `resume`, so a resumed run's checkpoint
 * reads as the original's. With stages, `epochs` and `freeze` are the schema's sums of them and
 * are refused beside them, so they are left for the stages to give again.
 */
export function optionsToKeep(o: TrainStep, modelJson: string, out: string): Record<string, unknown> {
  const { resume: _resume, ...all } = o;
  const { epochs: _epochs, freeze: _freeze, ...unstaged } = all;
  const rest = o.stages ? unstaged : all;
  const classMap = typeof o.classMap === 'string' && o.classMap.startsWith('@') ? `@${resolve(o.classMap.slice(1))}` : o.classMap;
  return JSON.parse(JSON.stringify({ ...rest, model: modelJson, out, data: resolve(o.data), val: o.val === undefined ? undefined : resolve(o.val), classMap })) as Record<string, unknown>;
}

/** The checkpoint of run `runId`; a run without one is an InputError. */
export async function requireCheckpoint(home: string, runId: string, log?: (line: string) => void): Promise<TrainCheckpoint> {
  const dir = checkpointDir(home, runId);
  const checkpoint = await readCheckpoint(dir, log);
  if (checkpoint === null) throw new InputError(`resume ${runId}: the run left no checkpoint (${dir} is missing)`);
  return checkpoint;
}

/** Refuses a resume whose options, parent model or data differ from the run it continues. */
export function checkResume(checkpoint: TrainCheckpoint, now: { options: Record<string, unknown>; parentHash: string; dataset: string }): void {
  const id = checkpoint.runId;
  const changed = Object.keys({ ...checkpoint.options, ...now.options }).find((k) => !isDeepStrictEqual(checkpoint.options[k], now.options[k]));
  if (changed !== undefined) {
    throw new InputError(`resume ${id}: option '${changed}' is ${JSON.stringify(now.options[changed])}, the run had ${JSON.stringify(checkpoint.options[changed])}; a resumed run keeps its options`);
  }
  if (now.parentHash !== checkpoint.parent.contentHash) {
    throw new InputError(`resume ${id}: the parent model ${checkpoint.parent.model} changed since the run began (content hash ${checkpoint.parent.contentHash}, now ${now.parentHash})`);
  }
  if (now.dataset !== checkpoint.dataset) {
    throw new InputError(`resume ${id}: the training images changed since the run began (dataset hash ${checkpoint.dataset}, now ${now.dataset})`);
  }
}

/** Where the checkpointed run stood, as the staged loop takes it up. */
export function stagedPosition(checkpoint: Pick<CheckpointMeta, 'stage' | 'at'>): StagedPosition {
  return { stage: checkpoint.stage.index, before: checkpoint.stage.before, at: checkpoint.at };
}

/** A position in the run's own counts (epochs and steps go on across stages), for notes. */
export function describePosition(p: StagedPosition, stages: number): string {
  const stage = stages > 1 ? `stage ${p.stage + 1} of ${stages}, ` : '';
  return `${stage}epoch ${p.before.epochs + p.at.epoch}, after optimizer step ${p.before.steps + p.at.steps}`;
}
