// Architectures as data: a spec per variant, and one builder per family. The spec is stored in
// the manifest, so a saved model says exactly how to rebuild it.

export interface MobileNetV2Stage {
  /** Expansion factor t of the inverted residual. */
  expansion: number;
  channels: number;
  repeats: number;
  stride: 1 | 2;
}

export interface MobileNetV2Spec {
  family: 'mobilenet-v2';
  inputShape: [number, number, number];
  /** Width multiplier α, applied to every channel count (rounded to a multiple of 8). */
  alpha: number;
  stemStride: 1 | 2;
  stages: MobileNetV2Stage[];
  /** Channels of the last 1×1 conv before pooling (not scaled down when α < 1, as in the paper). */
  headChannels: number;
  numClasses: number;
  dropout: number;
}

export interface ResNetStage {
  channels: number;
  blocks: number;
  stride: 1 | 2;
}

export interface ResNetSpec {
  family: 'resnet';
  inputShape: [number, number, number];
  stem: { channels: number; kernel: number; stride: 1 | 2; maxPool: boolean };
  stages: ResNetStage[];
  numClasses: number;
}

export type ArchitectureSpec = MobileNetV2Spec | ResNetSpec;

/** The ImageNet MobileNetV2 (Sandler et al. 2018) at a given α and input size. */
export function mobilenetV2Imagenet(alpha: number, size: number, numClasses: number): MobileNetV2Spec {
  return {
    family: 'mobilenet-v2',
    inputShape: [size, size, 3],
    alpha,
    stemStride: 2,
    stages: [
      { expansion: 1, channels: 16, repeats: 1, stride: 1 },
      { expansion: 6, channels: 24, repeats: 2, stride: 2 },
      { expansion: 6, channels: 32, repeats: 3, stride: 2 },
      { expansion: 6, channels: 64, repeats: 4, stride: 2 },
      { expansion: 6, channels: 96, repeats: 3, stride: 1 },
      { expansion: 6, channels: 160, repeats: 3, stride: 2 },
      { expansion: 6, channels: 320, repeats: 1, stride: 1 },
    ],
    headChannels: 1280,
    numClasses,
    dropout: 0,
  };
}

/** Channel count scaled by α and rounded to a multiple of 8, never dropping more than 10%. */
export function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

/** The layer groups a built spec has, in order, without building it. */
export function specGroupNames(spec: ArchitectureSpec): string[] {
  return ['stem', ...spec.stages.map((_, i) => `block${i + 1}`), 'head'];
}
