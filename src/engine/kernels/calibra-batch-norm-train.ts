// CalibraBatchNormTrain for the wasm backend: BatchNorm in training mode as one kernel, inputs
// {x, scale, offset}, attrs {epsilon} → [y, mean, variance], normalising over every axis but
// the last with the batch's biased statistics. src/bn/batch-norm-train-op.ts defines the
// contract and uses the kernel wherever one is registered; the native engine registers a
// faster one over this. Composed of tfjs ops instead, the same step reads the activation about
// eight times and its gradient about thirty; here it is four passes forward, seven backward.
import {
  SquaredDifference,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { channelAffine } from './channel-affine.js';
import { reshaped, withKernelScope } from './kernel-utils.js';
import { channelLayout, channelMean, type ChannelLayout } from './leading-axes-mean.js';

export const CALIBRA_BATCH_NORM_TRAIN = 'CalibraBatchNormTrain';

export interface BatchNormTrainAttrs {
  epsilon: number;
}

/** The x a BatchNorm kernel can take: float32, channels last, not empty. */
export function batchNormLayout(kernelName: string, x: TensorInfo): ChannelLayout {
  const layout = channelLayout(x);
  if (layout === null) {
    throw new Error(`${kernelName} on wasm needs a non-empty float32 x of rank 2 or more, got ` +
      `${x.dtype} [${x.shape}]`);
  }
  return layout;
}

const calibraBatchNormTrain: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, scale, offset } = inputs as Record<'x' | 'scale' | 'offset', TensorInfo>;
  const { epsilon } = attrs as unknown as BatchNormTrainAttrs;
  const layout = batchNormLayout(CALIBRA_BATCH_NORM_TRAIN, x);
  const { channels } = layout;
  return withKernelScope(backend, (scope) => {
    const mean = channelMean(scope, x, layout);
    const squares = scope.run(SquaredDifference, { a: x, b: reshaped(mean, [channels]) });
    const variance = channelMean(scope, squares, layout);
    const m = scope.read(mean);
    const v = scope.read(variance);
    const s = scope.read(scale);
    const o = scope.read(offset);
    const a = new Float32Array(channels);
    const b = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      a[c] = s[c]! / Math.sqrt(v[c]! + epsilon);
      b[c] = o[c]! - m[c]! * a[c]!;
    }
    return [
      channelAffine(scope, x, a, b),
      reshaped(mean, [channels]),
      reshaped(variance, [channels]),
    ];
  });
};

export const calibraBatchNormTrainConfig: KernelConfig = {
  kernelName: CALIBRA_BATCH_NORM_TRAIN,
  backendName: 'wasm',
  kernelFunc: calibraBatchNormTrain,
};
