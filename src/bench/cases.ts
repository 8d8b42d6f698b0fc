// The benchmark cases, as data. Each has a PyTorch twin built from the same spec.
import type { ArchitectureSpec } from '../models/architectures/spec.js';
import { mobilenetV2Imagenet } from '../models/architectures/spec.js';
import { digitsResNetSpec } from '../models/architectures/digits.js';
import type { FreezeSpec } from '../models/groups.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../util/package-root.js';

/** Real third-party models and photos, beside the checkout (see shared/assets/README.md). */
export const SHARED_ASSETS = process.env.CALIBRA_SHARED_ASSETS ?? join(PACKAGE_ROOT, '..', 'shared', 'assets');

export interface BenchCase {
  name: string;
  description: string;
  spec: ArchitectureSpec;
  batch: number;
  /**
   * `train`: one optimizer step per batch. `bn-stats`: forward passes that compute BN batch
   * statistics (AdaBN's work). `cached-head`: a whole head-only fine-tune of `fineTune`, Calibra
   * on its feature cache, PyTorch running the frozen backbone every epoch as its tutorial does.
   * `recalibrate-exact`: a whole exact-mode AdaBN of `recalibrate`'s model on its folder, both
   * sides measuring every BN layer, in network order, on inputs normalised by the recalibrated
   * layers upstream of it, each layer run once per image.
   */
  mode: 'train' | 'bn-stats' | 'cached-head' | 'recalibrate-exact';
  freeze: FreezeSpec;
  /** For `cached-head`: the real model and labelled folder, and the epochs of the run. */
  fineTune?: { model: string; data: string; epochs: number };
  /** For `recalibrate-exact`: the real model and its folder of images (labels unused). */
  recalibrate?: { model: string; images: string };
}

export const BENCH_CASES: readonly BenchCase[] = [
  {
    name: 'digits-train-full',
    description: 'shipped digits ResNet, 32×32, full fine-tune, batch 64',
    spec: digitsResNetSpec(), batch: 64, mode: 'train', freeze: { kind: 'none' },
  },
  {
    name: 'mnv2-224-train-last',
    description: 'MobileNetV2 α=0.35 224×224, last 3 stages + head train (--freeze last:4), batch 16',
    spec: mobilenetV2Imagenet(0.35, 224, 2), batch: 16, mode: 'train', freeze: { kind: 'last', groups: 4 },
  },
  {
    name: 'mnv2-224-train-full',
    description: 'MobileNetV2 α=0.35 224×224, full fine-tune, batch 16',
    spec: mobilenetV2Imagenet(0.35, 224, 2), batch: 16, mode: 'train', freeze: { kind: 'none' },
  },
  {
    name: 'mnv2-224-adabn',
    description: 'MobileNetV2 α=0.35 224×224, forward passes computing BN batch statistics (AdaBN), batch 16',
    spec: mobilenetV2Imagenet(0.35, 224, 2), batch: 16, mode: 'bn-stats', freeze: { kind: 'none' },
  },
  {
    name: 'mnv2-tm-head-cached',
    description: 'MobileNetV2-0.35 (shared Teachable Machine base) head-only on ants/bees train, 10 epochs, batch 32: Calibra with the feature cache, PyTorch\'s tutorial loop (frozen backbone forward every epoch, eval mode)',
    spec: mobilenetV2Imagenet(0.35, 224, 2), batch: 32, mode: 'cached-head', freeze: { kind: 'backbone' },
    fineTune: {
      model: join(SHARED_ASSETS, 'models', 'mobilenet-v2-0.35-tm'),
      data: join(SHARED_ASSETS, 'datasets', 'hymenoptera', 'train'),
      epochs: 10,
    },
  },
  {
    name: 'mnv2-tm-adabn-exact',
    description: 'MobileNetV2-0.35 (shared Teachable Machine base) `recalibrate --mode exact` on ants/bees train (245 photos, labels unused), batch 32, decoding excluded: all 52 BN layers in order, each given the exact population mean and variance of its input as normalised by the recalibrated layers upstream; PyTorch the same layer-by-layer pass on its twin (random weights: the work is the same)',
    spec: mobilenetV2Imagenet(0.35, 224, 2), batch: 32, mode: 'recalibrate-exact', freeze: { kind: 'none' },
    recalibrate: {
      model: join(SHARED_ASSETS, 'models', 'mobilenet-v2-0.35-tm'),
      images: join(SHARED_ASSETS, 'datasets', 'hymenoptera', 'train'),
    },
  },
];

/** Why a case cannot run here (its real model or images are not beside the checkout), or null. */
export function missingAssets(c: BenchCase): string | null {
  const paths = [c.fineTune?.model, c.fineTune?.data, c.recalibrate?.model, c.recalibrate?.images].filter((p): p is string => p !== undefined);
  const missing = paths.find((p) => !existsSync(p));
  return missing === undefined ? null : `${missing} not found (CALIBRA_SHARED_ASSETS names the shared assets folder)`;
}
