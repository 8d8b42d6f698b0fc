// One kernel for a BN layer's moving-average update, keep·moving + (1 − keep)·scale·batch,
// instead of four elementwise kernels per statistic per step.
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const MOVING_AVERAGE = 'CalibraMovingAverage';

export interface MovingAverageAttrs {
  keep: number;
  /** Applied to the batch value first: count/(count − 1) turns a biased variance unbiased. */
  scale: number;
}

export const movingAverageConfig: KernelConfig = {
  kernelName: MOVING_AVERAGE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const b = backend as BackendWasm;
    const { moving, value } = inputs as Record<'moving' | 'value', TensorInfo>;
    const { keep, scale } = attrs as unknown as MovingAverageAttrs;
    const out = b.makeOutput(moving.shape, 'float32');
    const [m, v, o] = [moving, value, out].map((t) => b.typedArrayFromHeap(t) as Float32Array);
    for (let i = 0; i < o!.length; i++) o![i] = keep * m![i]! + (1 - keep) * scale * v![i]!;
    return out;
  },
};
