import type { tf } from '../../engine/tf.js';
import { buildMobileNetV2 } from './mobilenet-v2.js';
import { buildResNet } from './resnet.js';
import type { ArchitectureSpec } from './spec.js';

export function buildArchitecture(spec: ArchitectureSpec): tf.LayersModel {
  switch (spec.family) {
    case 'mobilenet-v2': return buildMobileNetV2(spec);
    case 'resnet': return buildResNet(spec);
  }
}
