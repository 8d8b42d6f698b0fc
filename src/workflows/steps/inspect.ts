import { resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { adviseFromDrift, type DriftAdvice } from '../../bn/advice.js';
import { probeDrift } from '../../bn/drift-probe.js';
import { imageSource } from '../../bn/input-source.js';
import { groupOfLayer } from '../../bn/select.js';
import { BadFileReport } from '../../data/bad-files.js';
import { imageFolderHash } from '../../data/image-folder-hash.js';
import { listImageFiles } from '../../data/image-files.js';
import { loadModel } from '../../models/model-io.js';
import { modelGroups } from '../../models/manifest-builder.js';
import type { InspectStep } from '../schema.js';
import type { StepEnv } from '../step-env.js';

export interface InspectLayer {
  name: string;
  group: string;
  channels: number;
  drift: number;
  meanShift: number;
  varRatio: number;
}

export interface InspectStepResult {
  images: number;
  layers: InspectLayer[];
  advice: string;
  adviceKind: DriftAdvice['kind'];
  adviceGroups: string[];
  skipped: { path: string; reason: string }[];
  backend: string;
  model: string;
  modelHash: string;
  dataset: string;
}

export async function runInspectStep(o: InspectStep, env: StepEnv): Promise<InspectStepResult> {
  const files = await listImageFiles(o.images).catch((err: unknown) => {
    throw err instanceof InputError ? new InputError(`--images: ${err.message}`) : err;
  });
  if (files.length === 0) throw new InputError(`--images ${o.images}: no images (looked for .jpg, .png, .webp, .gif, .tif, flat or nested)`);
  const backend = await env.engine();
  const { model, manifest } = await loadModel(o.model, { trustWeights: o.trustWeights, log: env.log });
  const hash = await imageFolderHash(resolve(o.images), files);
  const badFiles = new BadFileReport();
  env.emit({ type: 'RunStarted', command: 'inspect', backend: backend.name, config: { ...o, images: resolve(o.images), parent: manifest.contentHash, dataset: hash }, totalSteps: 0, totalImages: files.length });
  const start = performance.now();
  const probe = await probeDrift(model, imageSource({ files, manifest, batchSize: o.batch, badFiles, signal: env.signal }), (done) => {
    env.emit({ type: 'EvalProgress', imagesSeen: done, totalImages: files.length, imagesPerSecond: done / Math.max((performance.now() - start) / 1000, 1e-9) });
  });
  const skipped = badFiles.list();
  if (skipped.length > 0) env.emit({ type: 'DataSkipped', files: skipped });
  if (probe.images === 0) throw new InputError(`--images ${o.images}: none of its ${files.length} images could be read`);
  if (probe.layers.length === 0) throw new InputError(`--model ${o.model}: has no BN layers to inspect`);
  const groupOf = groupOfLayer(modelGroups(model));
  const layers = probe.layers.map((l) => ({ name: l.name, group: groupOf.get(l.name) ?? '-', channels: l.channels, drift: l.drift, meanShift: l.meanShift, varRatio: l.varRatio }));
  const advice = adviseFromDrift(layers, { model: o.model, images: o.images });
  model.dispose();
  return {
    images: probe.images, layers, advice: advice.text, adviceKind: advice.kind, adviceGroups: advice.groups, skipped,
    backend: backend.name, model: manifest.id, modelHash: manifest.contentHash, dataset: hash,
  };
}
