// tfjs BatchMatMul operands → the numbers of the native MatMulShape (native/mat_mul_common.h).
import { broadcast_util, util, type TensorInfo } from '@tensorflow/tfjs-core';

import { unsupported, type Unsupported } from './native-kernel.js';

export interface MatMulGeometry {
  readonly outShape: number[];
  /** [batchA, batchB, m, k, n, transposeA, transposeB] */
  readonly shape: number[];
  /** Columns of the product: a bias must have this many elements. */
  readonly n: number;
}

export function matMulGeometry(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): MatMulGeometry | Unsupported {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return unsupported('operands of rank below 2');
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb) return unsupported(`inner dimensions ${k} and ${kb} differ`);
  const outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = util.sizeFromShape(outer);
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  // oneDNN broadcasts a whole batch of one, not single axes of a batch.
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) {
    return unsupported('batch axes broadcast partially');
  }
  if (batch * m * n * k === 0) return unsupported('empty tensor');
  return {
    outShape: [...outer, m, n],
    shape: [batchA, batchB, m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0],
    n,
  };
}
