import { readdir } from 'node:fs/promises';
import { synthesizeDataset, type SynthesisSummary } from '../../data/synth/index.js';
import { writeDirAtomically } from '../../util/atomic.js';
import type { SynthStep } from '../schema.js';
import type { StepEnv } from '../step-env.js';

export async function runSynthStep(options: SynthStep, env: StepEnv): Promise<SynthesisSummary> {
  const { replace, ...args } = options;
  const start = performance.now();
  const onProgress = (done: number, total: number) =>
    env.emit({ type: 'SynthProgress', imagesWritten: done, totalImages: total, imagesPerSecond: done / ((performance.now() - start) / 1000) });
  const occupied = await readdir(args.out).then((names) => names.length > 0, () => false);
  if (!replace || !occupied) return synthesizeDataset({ ...args, onProgress });
  let summary: SynthesisSummary | undefined;
  await writeDirAtomically(args.out, async (dir) => {
    summary = await synthesizeDataset({ ...args, out: dir, onProgress });
  });
  return { ...summary!, out: args.out };
}
