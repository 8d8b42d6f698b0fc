// Activations the native fused kernels fold into their oneDNN primitive. The numbers are the
// C++ side's `Activation` enum (native/common.h).
import type { _FusedMatMulAttrs } from '@tensorflow/tfjs-core';

import { unsupported, type Unsupported } from './native-kernel.js';

type Activation = _FusedMatMulAttrs['activation'];

const CODES: Partial<Record<Activation, number>> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  leakyrelu: 3,
  elu: 4,
  sigmoid: 5,
};

/** tf.leakyRelu's default slope, for fused calls that leave it out. */
const DEFAULT_LEAKY_ALPHA = 0.2;

export interface NativeActivation {
  readonly code: number;
  readonly alpha: number;
}

export function nativeActivation(
  activation: Activation | undefined,
  leakyreluAlpha: number | undefined,
): NativeActivation | Unsupported {
  const code = CODES[activation ?? 'linear'];
  if (code === undefined) return unsupported(`activation '${activation}'`);
  return { code, alpha: leakyreluAlpha ?? DEFAULT_LEAKY_ALPHA };
}
