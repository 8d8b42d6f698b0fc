// CalibraBatchNormTrainGrad for the wasm backend: inputs {dy, x, scale, mean, variance}, attrs
// {epsilon} → [dx, dscale, doffset], the exact gradient of CalibraBatchNormTrain including the
// paths through the batch mean and variance (see calibra-batch-norm-train.ts).
//
// With r = 1/√(variance + ε), xc = x − mean, M values per channel, and per-channel sums
// Σdy and Σ(dy·xc):  doffset = Σdy,  dscale = r·Σ(dy·xc),
// dx = scale·r·dy − scale·r³·Σ(dy·xc)/M · xc − scale·r·Σdy/M.
import { Add, Multiply, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { batchNormLayout, type BatchNormTrainAttrs } from './calibra-batch-norm-train.js';
import { channelAffine } from './channel-affine.js';
import { reshaped, withKernelScope, type KernelScope } from './kernel-utils.js';
import { channelMean, type ChannelLayout } from './leading-axes-mean.js';

export const CALIBRA_BATCH_NORM_TRAIN_GRAD = 'CalibraBatchNormTrainGrad';

export interface GradientMeans {
  /** x − mean. */
  centered: TensorInfo;
  /** Per channel, the mean of dy and of dy·(x − mean). */
  dyMean: Float32Array;
  productMean: Float32Array;
}

/**
 * What the BatchNorm gradients (this one and FusedBatchNorm's) are made of. x − mean is
 * materialised rather than using Σ(dy·x) − mean·Σdy, which cancels badly when the mean is large
 * against the spread.
 */
export function gradientMeans(
  scope: KernelScope,
  dy: TensorInfo,
  x: TensorInfo,
  mean: Float32Array,
  layout: ChannelLayout,
): GradientMeans {
  const centered = channelAffine(scope, x, new Float32Array(layout.channels).fill(1), mean.map((m) => -m));
  return {
    centered,
    dyMean: scope.read(channelMean(scope, dy, layout)),
    productMean: scope.read(channelMean(scope, scope.run(Multiply, { a: dy, b: centered }), layout)),
  };
}

const calibraBatchNormTrainGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, scale, mean, variance } =
    inputs as Record<'dy' | 'x' | 'scale' | 'mean' | 'variance', TensorInfo>;
  const { epsilon } = attrs as unknown as BatchNormTrainAttrs;
  const layout = batchNormLayout(CALIBRA_BATCH_NORM_TRAIN_GRAD, x);
  const { channels, count } = layout;
  return withKernelScope(backend, (scope) => {
    const v = scope.read(variance);
    const s = scope.read(scale);
    const { centered, dyMean, productMean } = gradientMeans(scope, dy, x, scope.read(mean), layout);

    const dscale = new Float32Array(channels);
    const doffset = new Float32Array(channels);
    const dyFactor = new Float32Array(channels);
    const centeredFactor = new Float32Array(channels);
    const shift = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      const r = 1 / Math.sqrt(v[c]! + epsilon);
      doffset[c] = dyMean[c]! * count;
      dscale[c] = r * productMean[c]! * count;
      dyFactor[c] = s[c]! * r;
      centeredFactor[c] = -s[c]! * r * r * r * productMean[c]!;
      shift[c] = -s[c]! * r * dyMean[c]!;
    }
    const dx = scope.run(Add, {
      a: channelAffine(scope, dy, dyFactor, shift),
      b: scope.run(Multiply, { a: centered, b: scope.constant([channels], centeredFactor) }),
    });
    return [
      reshaped(dx, x.shape),
      scope.constant(scale.shape, dscale),
      scope.constant(scale.shape, doffset),
    ];
  });
};

export const calibraBatchNormTrainGradConfig: KernelConfig = {
  kernelName: CALIBRA_BATCH_NORM_TRAIN_GRAD,
  backendName: 'wasm',
  kernelFunc: calibraBatchNormTrainGrad,
};
