// The benchmark cases, as data. Each has a PyTorch twin built from the same spec.
import type { ArchitectureSpec } from '../models/architectures/spec.js';
import { mobilenetV2Imagenet } from '../models/architectures/spec.js';
import { digitsResNetSpec } from '../models/architectures/digits.js';
import type { FreezeSpec } from '../models/groups.js';

export interface BenchCase {
  name: string;
  description: string;
  spec: ArchitectureSpec;
  batch: number;
  /** `train`: one optimizer step per batch. `bn-stats`: forward passes that compute BN batch statistics (AdaBN's work). */
  mode: 'train' | 'bn-stats';
  freeze: FreezeSpec;
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
];
