import { dirname, resolve } from 'node:path';
import { checkOutput } from '../../util/output-guard.js';
import { loadModel, resolveModelJson, saveModel } from '../../models/model-io.js';
import { madeManifest } from '../../models/manifest-builder.js';
import { imageFeed } from '../../train/data-feed.js';
import { optimizerFor } from '../../train/optimizers.js';
import { tent } from '../../train/tent.js';
import type { AdaptStep } from '../schema.js';
import type { StepEnv } from '../step-env.js';

export interface AdaptStepResult {
  method: 'tent';
  backend: string;
  images: number;
  steps: number;
  seconds: number;
  images_per_second: number;
  /** Mean prediction entropy (nats) of the first and the last optimizer step's batch. */
  entropy_first_step: number;
  entropy_last_step: number;
  trainable_params: number;
  bn_layers: number;
  out: string;
  contentHash: string;
  dataset: string;
  skipped: { path: string; reason: string }[];
}

export async function runAdaptStep(o: AdaptStep, env: StepEnv): Promise<AdaptStepResult> {
  const modelDir = dirname(await resolveModelJson(o.model));
  const out = await checkOutput(o.out, { kind: 'model', overwrite: o.overwrite, inputs: [{ flag: '--images', path: o.images }, { flag: '--model', path: modelDir }] });
  const backend = await env.engine();
  const parent = await loadModel(o.model, { trustWeights: o.trustWeights, log: env.log });
  const { model, manifest } = parent;
  const feed = await imageFeed(o.images, manifest, { batchSize: o.batch, shuffle: true, seed: o.seed });
  const config = { ...o, out, images: resolve(o.images), parent: manifest.contentHash };
  const imagesPerEpoch = feed.items.length;
  const totalSteps = o.steps ?? Math.ceil(imagesPerEpoch / o.batch);
  env.emit({ type: 'RunStarted', command: 'adapt', backend: backend.name, config, totalSteps, totalImages: o.steps ? o.steps * o.batch : imagesPerEpoch });
  const losses: number[] = [];
  const emit: StepEnv['emit'] = (e) => {
    if (e.type === 'OptimizerStepped') losses.push(e.loss);
    env.emit(e);
  };
  const optimizer = optimizerFor(o.optimizer, o.lr);
  const summary = await tent({
    model, manifest, optimizer, source: feed.source, imagesPerEpoch, batchSize: o.batch, steps: o.steps, emit, signal: env.signal,
  }).finally(() => optimizer.dispose());
  // A stopped adaptation saves nothing: half the images' statistics are not the folder's.
  env.signal?.throwIfAborted();
  const skipped = feed.badFiles.list();
  if (skipped.length > 0) env.emit({ type: 'DataSkipped', files: skipped });
  const saved = await saveModel(model, madeManifest(model, manifest, {
    out,
    description: `${manifest.id} adapted by TENT on ${resolve(o.images)}`,
    recipe: { command: 'adapt', ...config, backend: backend.name, result: { steps: summary.steps, entropyFirstStep: losses[0], entropyLastStep: losses[losses.length - 1] } },
    bnStatistics: `tent:${feed.hash}`,
    dataset: feed.hash,
  }), out);
  env.emit({ type: 'CheckpointSaved', path: out, contentHash: saved.contentHash });
  model.dispose();
  return {
    method: o.method, backend: backend.name, images: imagesPerEpoch - skipped.length, steps: summary.steps, seconds: Number(summary.seconds.toFixed(2)),
    images_per_second: Number(summary.imagesPerSecond.toFixed(2)), entropy_first_step: losses[0]!, entropy_last_step: losses[losses.length - 1]!,
    trainable_params: summary.trainableParams, bn_layers: summary.bnLayers, out, contentHash: saved.contentHash, dataset: feed.hash, skipped,
  };
}
