import type { ResNetSpec } from './spec.js';

/**
 * The shipped digits network: a ResNet of three basic-block stages (16, 32, 64 channels) on
 * 32×32 RGB. Sized so that pretraining fits in about half an hour on two cores with the wasm
 * engine (about 100 training images/s measured), and under 1 MB of weights.
 */
export function digitsResNetSpec(): ResNetSpec {
  return {
    family: 'resnet',
    inputShape: [32, 32, 3],
    stem: { channels: 16, kernel: 3, stride: 1, maxPool: false },
    stages: [
      { channels: 16, blocks: 1, stride: 1 },
      { channels: 32, blocks: 1, stride: 2 },
      { channels: 64, blocks: 1, stride: 2 },
    ],
    numClasses: 10,
  };
}
