// Gradients that run one of Calibra's kernels where the current backend has it, and tfjs's own
// gradient everywhere else, so that registering them leaves other backends as they were.
import {
  engine,
  getBackend,
  getKernel,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
} from '@tensorflow/tfjs-core';

/**
 * The gradient of `stock.kernelName`, whose only input is x: dx = `kernelName`({dy, x}, attrs)
 * for float32 tensors where that kernel is registered, else `stock`'s.
 */
export function gradientThroughKernel(
  stock: GradConfig,
  kernelName: string,
  attrsFor: (forwardAttrs: NamedAttrMap) => NamedAttrMap,
): GradConfig {
  return {
    kernelName: stock.kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [Tensor];
      const upstream = dy as Tensor;
      if (getKernel(kernelName, getBackend()) === undefined || x.dtype !== 'float32' || upstream.dtype !== 'float32') {
        return stock.gradFunc(dy, saved, attrs);
      }
      return { x: () => engine().runKernel(kernelName, { dy: upstream, x }, attrsFor(attrs)) as Tensor };
    },
  };
}
