// BatchMatMul for the wasm backend. The shipped kernel hands XNNPACK only products without
// transposed operands; with transposeA or transposeB, which every dense layer's gradient
// uses, it runs a naive loop, 5 to 20 times slower. An unbatched product is rewritten here as
// one XNNPACK product of explicitly transposed operands: either op(A)·op(B), or
// (op(B)ᵀ·op(A)ᵀ)ᵀ, whichever transposes and repacks fewer values (XNNPACK repacks its right
// operand on every call). For dX = dY·Wᵀ of a 1280→1000 dense layer the second form moves 50
// times less data. Batched products go to the shipped kernel as before.
import '@tensorflow/tfjs-backend-wasm';
import {
  BatchMatMul,
  getKernel,
  Transpose,
  util,
  type BatchMatMulAttrs,
  type BatchMatMulInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { reshaped, withKernelScope, type KernelScope } from './kernel-utils.js';

const shipped = getKernel(BatchMatMul, 'wasm');

/** A float32 operand as a matrix: its last two axes, when all others have size 1. */
function asMatrix(t: TensorInfo): TensorInfo | null {
  if (t.dtype !== 'float32' || util.sizeFromShape(t.shape.slice(0, -2)) !== 1) return null;
  return reshaped(t, t.shape.slice(-2));
}

function transposed(scope: KernelScope, m: TensorInfo): TensorInfo {
  return scope.run(Transpose, { x: m }, { perm: [1, 0] });
}

const batchMatMul: KernelFunc = (args) => {
  const { a, b } = args.inputs as BatchMatMulInputs;
  const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
  const left = asMatrix(a!);
  const right = asMatrix(b!);
  if ((!transposeA && !transposeB) || left === null || right === null) {
    return shipped.kernelFunc(args);
  }
  const sizeA = util.sizeFromShape(left.shape);
  const sizeB = util.sizeFromShape(right.shape);
  const rows = left.shape[transposeA ? 1 : 0]!;
  const cols = right.shape[transposeB ? 0 : 1]!;
  const outShape = [...(a!.shape.length >= b!.shape.length ? a! : b!).shape.slice(0, -2), rows, cols];
  const direct = (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0) + sizeB;
  const swapped = (transposeA ? 0 : sizeA) + (transposeB ? 0 : sizeB) + sizeA + rows * cols;
  return withKernelScope(args.backend, (scope) => {
    // Untransposed, the registered BatchMatMul (this one, or the native engine's) multiplies.
    const multiply = (x: TensorInfo, y: TensorInfo): TensorInfo =>
      scope.run(BatchMatMul, { a: x, b: y }, { transposeA: false, transposeB: false });
    if (direct <= swapped) {
      const product = multiply(
        transposeA ? transposed(scope, left) : left,
        transposeB ? transposed(scope, right) : right,
      );
      return reshaped(product, outShape);
    }
    const productT = multiply(
      transposeB ? right : transposed(scope, right),
      transposeA ? left : transposed(scope, left),
    );
    return reshaped(transposed(scope, reshaped(productT, [cols, rows])), outShape);
  });
};

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  // The shipped kernel's setup binds its wasm function; the engine runs only registered setups.
  setupFunc: shipped.setupFunc,
  kernelFunc: batchMatMul,
};
