// Named layer groups (stem, block1…blockN, head): the unit that freeze policies act on.
// Pure functions over layer descriptions, so they are tested without tfjs.
import { headStart } from './classifier.js';
import type { LayerInfo } from './layer-info.js';
import { resolutionStages } from './stages.js';

export interface LayerGroup {
  name: string;
  layers: string[];
}

export type FreezeSpec = { kind: 'none' } | { kind: 'backbone' } | { kind: 'last'; groups: number };

const GROUP_PREFIX = /^(stem|block\d+|head)_/;

/** Models built by Calibra name each layer after its group, e.g. `block3_1_dw_conv`. */
export function groupsFromNames(layers: readonly LayerInfo[]): LayerGroup[] | null {
  const groups: LayerGroup[] = [];
  for (const layer of layers) {
    const match = GROUP_PREFIX.exec(layer.name);
    if (!match) return null;
    const name = match[1]!;
    const last = groups[groups.length - 1];
    if (last?.name === name) last.layers.push(layer.name);
    else if (groups.some((g) => g.name === name)) return null;
    else groups.push({ name, layers: [layer.name] });
  }
  return groups.length > 0 ? groups : null;
}

const CONV = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D']);

/**
 * The even split, for a foreign model whose stages cannot be seen: `head` as `headStart`
 * finds it; `stem` is everything before the second convolution; the convolutions between are
 * split into `blocks` groups of equal size, each group taking the non-conv layers that follow
 * its convolutions.
 */
export function inferGroups(layers: readonly LayerInfo[], blocks = 4): LayerGroup[] {
  if (layers.length === 0) return [];
  const start = headStart(layers);
  const body = layers.slice(0, start);
  const convAt = body.flatMap((l, i) => (CONV.has(l.className) ? [i] : []));
  const groups: LayerGroup[] = [];
  const stemEnd = convAt.length >= 2 ? convAt[1]! : body.length;
  if (stemEnd > 0) groups.push({ name: 'stem', layers: body.slice(0, stemEnd).map((l) => l.name) });
  const rest = convAt.slice(1);
  const n = Math.min(blocks, rest.length);
  for (let b = 0; b < n; b++) {
    const from = rest[Math.floor((b * rest.length) / n)]!;
    const to = b + 1 < n ? rest[Math.floor(((b + 1) * rest.length) / n)]! : body.length;
    groups.push({ name: `block${b + 1}`, layers: body.slice(from, to).map((l) => l.name) });
  }
  groups.push({ name: 'head', layers: layers.slice(start).map((l) => l.name) });
  return groups;
}

/**
 * Groups for any model: Calibra's own names first; then the network's resolution stages
 * (see stages.ts); the even split when neither shows.
 */
export function groupLayers(layers: readonly LayerInfo[]): LayerGroup[] {
  const named = groupsFromNames(layers);
  if (named) return named;
  const start = headStart(layers);
  const stages = resolutionStages(layers.slice(0, start));
  if (!stages) return inferGroups(layers);
  return [...stages, { name: 'head', layers: layers.slice(start).map((l) => l.name) }];
}

export function parseFreezeSpec(text: string): FreezeSpec | null {
  if (text === 'none' || text === 'backbone') return { kind: text };
  const m = /^last:(\d+)$/.exec(text);
  if (m && Number(m[1]) >= 1) return { kind: 'last', groups: Number(m[1]) };
  return null;
}

/** Names of the groups that train. `last:N` counts the head as one of the N. */
export function trainableGroups(groups: readonly LayerGroup[], spec: FreezeSpec): Set<string> {
  const names = groups.map((g) => g.name);
  switch (spec.kind) {
    case 'none': return new Set(names);
    case 'backbone': return new Set(names.filter((n) => n === 'head'));
    case 'last': return new Set(names.slice(Math.max(0, names.length - spec.groups)));
  }
}
