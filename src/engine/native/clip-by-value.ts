// ClipByValue (native/clip_by_value.cc).
import { ClipByValue, type ClipByValueAttrs } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const clipByValueConfig = unaryKernelConfig<ClipByValueAttrs>(ClipByValue, 'clipByValue', (attrs) => [
  attrs.clipValueMin,
  attrs.clipValueMax,
]);
