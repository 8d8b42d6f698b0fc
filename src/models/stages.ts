// Layer groups that follow a network's own stages: a new group where the spatial size drops,
// moved back to the start of the named block that holds the drop, and ended after a pooling
// layer that downsamples. Pure functions over layer descriptions.
import { hasWeights, spatialSize, type LayerInfo } from './layer-info.js';
import type { LayerGroup } from './groups.js';

const CONV = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D']);
const DOWNSAMPLING_POOL = new Set(['MaxPooling2D', 'AveragePooling2D']);
const PADDING = new Set(['ZeroPadding2D']);

/**
 * The block a layer belongs to, when its name shows one: Keras MobileNetV2 (`block_3_expand`,
 * `expanded_conv_project`) and Keras ResNet (`conv3_block1_1_conv`).
 */
export function blockOf(name: string): string | null {
  const m = /^(block_\d+|expanded_conv|conv\d+_block\d+)_/.exec(name);
  return m ? m[1]! : null;
}

/** Where groups begin inside `body` (always 0 first), before merging groups without weights. */
function stageStarts(body: readonly LayerInfo[]): number[] {
  const starts = new Set([0]);
  let size = Infinity;
  body.forEach((layer, i) => {
    const s = spatialSize(layer);
    if (s === null || s >= size) return;
    const first = size === Infinity;
    size = s;
    if (first) return;
    if (DOWNSAMPLING_POOL.has(layer.className)) { starts.add(i + 1); return; }
    let b = i;
    while (b > 0 && PADDING.has(body[b - 1]!.className)) b--;
    const block = blockOf(body[b]!.name);
    if (block !== null) while (b > 0 && blockOf(body[b - 1]!.name) === block) b--;
    starts.add(b);
  });
  return [...starts].filter((s) => s < body.length).sort((a, b) => a - b);
}

/**
 * `stem`, `block1…blockN` over the body (the layers before the head), one per resolution
 * stage. A stage without a convolution stays with the group before it (the stem, at the
 * start). Null when the body shows fewer than two stages (no shapes, or no downsampling), so
 * the caller falls back to another split.
 */
export function resolutionStages(body: readonly LayerInfo[]): LayerGroup[] | null {
  const starts = stageStarts(body);
  const kept: number[] = [];
  starts.forEach((from, k) => {
    const stage = body.slice(from, starts[k + 1] ?? body.length);
    if (stage.some((l) => CONV.has(l.className) && hasWeights(l))) kept.push(kept.length === 0 ? 0 : from);
  });
  if (kept.length < 2) return null;
  return kept.map((from, g) => ({
    name: g === 0 ? 'stem' : `block${g}`,
    layers: body.slice(from, kept[g + 1] ?? body.length).map((l) => l.name),
  }));
}
