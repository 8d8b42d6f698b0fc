// Times one benchmark case on the backend this process runs, through the trainer's own step.
import { tf } from '../engine/tf.js';
import { buildArchitecture } from '../models/architectures/build.js';
import { modelGroups } from '../models/manifest-builder.js';
import { PIXELS_0_1 } from '../models/manifest.js';
import { applyStrategy } from '../train/strategy.js';
import { trainStep } from '../train/trainer.js';
import { optimizerFor } from '../train/optimizers.js';
import { createRng } from '../util/rng.js';
import type { Batch } from '../data/batches.js';
import type { BenchCase } from './cases.js';
import { profileStep, type StepProfile } from './profile-step.js';
import { runCachedHeadCase } from './run-cached-head.js';
import { runRecalibrateCase } from './run-recalibrate.js';

export interface CaseTiming {
  images_per_second: number;
  batch: number;
  steps: number;
  seconds: number;
  profile?: StepProfile;
  /** For a recalibration: layer calls per image over one forward pass's (see AdaBnResult). */
  forward_passes?: number;
}

function randomBatch(c: BenchCase, batch: number): Batch {
  const [h, w] = c.spec.inputShape;
  const rng = createRng(7);
  const x = Float32Array.from({ length: batch * h * w * 3 }, () => Math.floor(rng.next() * 256));
  const y = Int32Array.from({ length: batch }, () => rng.int(c.spec.numClasses));
  return { x, y, n: batch };
}

/** Two untimed warm-up steps, then steps until `seconds` have passed (at least `minSteps`). */
export async function runCase(c: BenchCase, opts: { seconds: number; batch?: number; minSteps?: number; profile?: boolean }): Promise<CaseTiming> {
  if (c.mode === 'cached-head' || c.mode === 'recalibrate-exact') {
    if (opts.minSteps === 1) throw new Error(`${c.name} times a whole run: it is neither sampled nor searched for its largest batch`);
    return c.mode === 'cached-head' ? runCachedHeadCase(c) : runRecalibrateCase(c);
  }
  const batchSize = opts.batch ?? c.batch;
  const model = buildArchitecture(c.spec);
  const groups = modelGroups(model);
  const strategy = applyStrategy(model, groups, { freeze: c.freeze, bnStats: 'update', bnAffine: 'train' });
  const manifest = {
    inputShape: c.spec.inputShape, preprocessing: PIXELS_0_1, output: 'logits' as const,
    classes: Array.from({ length: c.spec.numClasses }, (_, i) => String(i)),
  };
  const batch = randomBatch(c, batchSize);
  const optimizer = optimizerFor('adam', 1e-3);
  const step = c.mode === 'train'
    ? () => trainStep({ model, manifest, variables: strategy.variables, optimizer }, [batch])
    : async () => {
        const out = tf.tidy(() => tf.sum(model.apply(tf.tensor4d(batch.x, [batchSize, ...c.spec.inputShape]).div(255), { training: true }) as tf.Tensor));
        await out.data();
        out.dispose();
      };
  const warmup = opts.minSteps === 1 ? 0 : 2;
  for (let i = 0; i < warmup; i++) await step();
  const minSteps = opts.minSteps ?? 3;
  const start = performance.now();
  let steps = 0;
  while (steps < minSteps || performance.now() - start < opts.seconds * 1000) {
    await step();
    steps++;
  }
  const seconds = (performance.now() - start) / 1000;
  const profile = opts.profile ? await profileStep(step) : undefined;
  model.dispose();
  optimizer.dispose();
  return { images_per_second: (steps * batchSize) / seconds, batch: batchSize, steps, seconds, ...(profile ? { profile } : {}) };
}
