import type { tf } from '../../engine/tf.js';
import { fuseBatchNormActivations } from '../bn-activation-fusion.js';
import { buildMobileNetV2 } from './mobilenet-v2.js';
import { buildResNet } from './resnet.js';
import type { ArchitectureSpec } from './spec.js';

export function buildArchitecture(spec: ArchitectureSpec): tf.LayersModel {
  const model = buildFamily(spec);
  fuseBatchNormActivations(model);
  return model;
}

function buildFamily(spec: ArchitectureSpec): tf.LayersModel {
  switch (spec.family) {
    case 'mobilenet-v2': return buildMobileNetV2(spec);
    case 'resnet': return buildResNet(spec);
  }
}
