// The gradient of FusedBatchNorm (BatchNorm with given statistics: BN layers whose statistics
// are frozen, and anything differentiated through tf.batchNorm) as one kernel, in place of
// tfjs's composition, which tiles 1/√(variance + ε) to the activation's shape and runs about a
// dozen passes over it (Sub, Tile, Multiplies, Sums that transpose first).
//
// CalibraFusedBatchNormGrad: inputs {dy, x, mean, variance, scale?}, attrs {varianceEpsilon} →
// [dx, dmean, dvariance, dscale, doffset], the gradients tfjs defines: the statistics are inputs
// like the others, so no path runs through them. With s the scale (1 without), r = 1/√(variance
// + ε) and per-channel sums Σdy and Σdy·(x − mean) over every axis but the last:
//   dx = dy·s·r,  doffset = Σdy,  dscale = r·Σdy·(x − mean),
//   dmean = −s·r·Σdy,  dvariance = −½·s·r³·Σdy·(x − mean).
// This is the wasm backend's version, built of XNNPACK passes; the native engine replaces it
// (src/engine/native/calibra-fused-batch-norm-grad.ts).
import {
  engine,
  FusedBatchNorm,
  getBackend,
  getKernel,
  util,
  type FusedBatchNormAttrs,
  type GradConfig,
  type KernelConfig,
  type KernelFunc,
  type NamedTensorMap,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import { gradientMeans } from './calibra-batch-norm-train-grad.js';
import { batchNormLayout } from './calibra-batch-norm-train.js';
import { channelAffine } from './channel-affine.js';
import { withKernelScope } from './kernel-utils.js';

export const CALIBRA_FUSED_BATCH_NORM_GRAD = 'CalibraFusedBatchNormGrad';

type GradInputs = Record<'dy' | 'x' | 'mean' | 'variance', TensorInfo> & { scale?: TensorInfo };

const calibraFusedBatchNormGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, mean, variance, scale } = inputs as GradInputs;
  const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
  const layout = batchNormLayout(CALIBRA_FUSED_BATCH_NORM_GRAD, x);
  const { channels, count } = layout;
  return withKernelScope(backend, (scope) => {
    const v = scope.read(variance);
    const s = scale === undefined ? undefined : scope.read(scale);
    const { dyMean, productMean } = gradientMeans(scope, dy, x, scope.read(mean), layout);

    const factor = new Float32Array(channels);
    const [dmean, dvariance, dscale, doffset] = [0, 1, 2, 3].map(() => new Float32Array(channels)) as
      [Float32Array, Float32Array, Float32Array, Float32Array];
    for (let c = 0; c < channels; c++) {
      const r = 1 / Math.sqrt(v[c]! + varianceEpsilon);
      const sr = (s?.[c] ?? 1) * r;
      const sumDy = dyMean[c]! * count;
      const sumDyCentered = productMean[c]! * count;
      factor[c] = sr;
      doffset[c] = sumDy;
      dscale[c] = r * sumDyCentered;
      dmean[c] = -sr * sumDy;
      dvariance[c] = -0.5 * sr * r * r * sumDyCentered;
    }
    const dx = channelAffine(scope, dy, factor, new Float32Array(channels));
    return [dx, ...[dmean, dvariance, dscale, doffset].map((g) => scope.constant(mean.shape, g))];
  });
};

export const calibraFusedBatchNormGradConfig: KernelConfig = {
  kernelName: CALIBRA_FUSED_BATCH_NORM_GRAD,
  backendName: 'wasm',
  kernelFunc: calibraFusedBatchNormGrad,
};

/**
 * Calls the kernel takes: float32, and statistics (and scale) of rank 1 with one value per
 * channel of x's last axis, the case in which tfjs's gradient sums over the other axes.
 */
function takesKernel(dy: Tensor, x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor | undefined): boolean {
  const stats = scale === undefined ? [mean, variance] : [mean, variance, scale];
  const channels = x.shape[x.rank - 1];
  return (
    getKernel(CALIBRA_FUSED_BATCH_NORM_GRAD, getBackend()) !== undefined &&
    x.rank >= 2 &&
    x.size > 0 &&
    [dy, x, ...stats].every((t) => t.dtype === 'float32') &&
    stats.every((t) => t.rank === 1 && t.shape[0] === channels) &&
    util.arraysEqual(dy.shape, x.shape)
  );
}

/** FusedBatchNorm's gradient: the kernel where registered and the call fits it, else `stock` (tfjs's). */
export function fusedBatchNormGradient(stock: GradConfig): GradConfig {
  return {
    kernelName: FusedBatchNorm,
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
      const upstream = dy as Tensor;
      if (!takesKernel(upstream, x, mean, variance, scale ?? undefined)) return stock.gradFunc(dy, saved, attrs);
      // One call for all five: each closure runs in its own tidy, so they cannot share a lazy one.
      const inputs: NamedTensorMap = { dy: upstream, x, mean, variance, ...(scale ? { scale } : {}) };
      const grads = engine().runKernel(CALIBRA_FUSED_BATCH_NORM_GRAD, inputs, attrs) as Tensor[];
      const [dx, dmean, dvariance, dscale, doffset] = grads;
      return { x: () => dx!, mean: () => dmean!, variance: () => dvariance!, scale: () => dscale!, offset: () => doffset! };
    },
  };
}
