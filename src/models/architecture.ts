// Recognising well-known exported architectures from their layers, to know what input they
// were trained on when nothing else says.
import type { LayerInfo } from './layer-info.js';

export type KnownArchitecture = 'keras-mobilenet-v2' | 'keras-mobilenet' | 'keras-resnet-v2' | 'darknet';

/** Layer names that only Keras Applications' builders produce. */
const KERAS_NAMES: readonly [KnownArchitecture, RegExp][] = [
  ['keras-mobilenet-v2', /^(expanded_conv_project|block_\d+_expand)$/],
  ['keras-mobilenet', /^conv_pw_\d+$/],
  ['keras-resnet-v2', /^conv\d+_block\d+_preact_bn$/],
];

/** Darknet: every BN follows a convolution and feeds a LeakyReLU; no other activation. */
function isDarknet(layers: readonly LayerInfo[]): boolean {
  let units = 0;
  for (let i = 0; i < layers.length; i++) {
    const c = layers[i]!.className;
    if (c === 'ReLU' || c === 'Activation') return false;
    if (c !== 'BatchNormalization') continue;
    if (layers[i - 1]?.className !== 'Conv2D' || layers[i + 1]?.className !== 'LeakyReLU') return false;
    units++;
  }
  return units >= 3 && layers.some((l) => l.className === 'MaxPooling2D');
}

export function recogniseArchitecture(layers: readonly LayerInfo[]): KnownArchitecture | null {
  for (const [arch, pattern] of KERAS_NAMES) if (layers.some((l) => pattern.test(l.name))) return arch;
  return isDarknet(layers) ? 'darknet' : null;
}
