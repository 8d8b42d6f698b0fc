import { synthesizeDataset, type SynthesisSummary } from '../../data/synth/index.js';
import { PRETRAINED_DIR } from '../../models/zoo.js';
import type { SynthStep } from '../schema.js';
import type { StepEnv } from '../step-env.js';

export async function runSynthStep(options: SynthStep, env: StepEnv): Promise<SynthesisSummary> {
  const start = performance.now();
  return synthesizeDataset({
    ...options,
    inputs: [{ flag: 'the shipped models in', path: PRETRAINED_DIR }],
    log: env.log,
    onProgress: (done, total) =>
      env.emit({ type: 'SynthProgress', imagesWritten: done, totalImages: total, imagesPerSecond: done / ((performance.now() - start) / 1000) }),
  });
}
