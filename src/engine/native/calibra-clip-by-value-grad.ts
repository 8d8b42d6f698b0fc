// CalibraClipByValueGrad (native/calibra_clip_by_value_grad.cc), the kernel of ClipByValue's
// gradient (src/engine/kernels/clip-by-value-grad.ts): dx = dy where min ≤ x ≤ max, else 0.
import type { ClipByValueAttrs } from '@tensorflow/tfjs-core';

import { CALIBRA_CLIP_BY_VALUE_GRAD } from '../kernels/clip-by-value-grad.js';
import { unaryKernelConfig } from './elementwise.js';

export const calibraClipByValueGradConfig = unaryKernelConfig<ClipByValueAttrs>(
  CALIBRA_CLIP_BY_VALUE_GRAD,
  'calibraClipByValueGrad',
  (attrs) => [attrs.clipValueMin, attrs.clipValueMax],
);
