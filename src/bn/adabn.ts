// AdaBN (Li et al. 2016): replace BN layers' moving statistics with the population statistics
// of their inputs over a folder of target-domain images, merged exactly across batches.
//
// `fast` runs the network once with every recalibrated layer normalising with its own batch
// statistics (the batch's, not the population's), as PyTorch's update_bn does.
// `exact` gives each layer the inputs it will see at inference, with every BN layer upstream
// already recalibrated. Done naively that is one pass per BN layer. Instead the network runs
// layer by layer over the whole folder: the activations still needed downstream are cached for
// every image, so each layer runs once per image and a BN layer's statistics come from its
// cached input before it runs. When a cache would exceed the memory budget, the last cache that
// fitted (or the image stream) is kept and the stretch after it is run again per BN layer.
import { tf } from '../engine/tf.js';
import { flattenModel, nodesFor, runNodes, type FlatGraph } from '../models/flat-graph.js';
import type { CalibraBatchNorm } from './batch-norm-layer.js';
import { activationMoments } from './channel-moments.js';
import { batchMoments, emptyMoments, mergeMoments, momentsVariance, type ChannelMoments } from './moments.js';

export type AdaBnMode = 'exact' | 'fast';

/** Preprocessed input batches, one pass per call; the consumer disposes each tensor. */
export type InputSource = () => AsyncIterable<tf.Tensor>;

export interface AdaBnProgress {
  imagesDone: number;
  /** Images of the pass; in the first pass, the number expected. */
  totalImages: number;
  /** The layer whose statistics the pass gathers; null in fast mode (all at once). */
  layer: string | null;
  layerIndex: number;
  layers: number;
  /** Since the pass began. */
  seconds: number;
}

export interface AdaBnArgs {
  model: tf.LayersModel;
  /** The BN layers to recalibrate; every other BN layer keeps its statistics. */
  layers: readonly CalibraBatchNorm[];
  source: InputSource;
  mode: AdaBnMode;
  /** Images one pass of the source should yield: sizes the cache before the first pass. */
  expectedImages: number;
  /** Memory for cached activations (exact mode). Default DEFAULT_CACHE_BYTES. */
  cacheBytes?: number;
  onProgress?: (p: AdaBnProgress) => void;
}

export interface LayerStatistics {
  name: string;
  mean: Float64Array;
  /** Unbiased, as the moving variance is stored. */
  variance: Float64Array;
  /** Values per channel the statistics are over. */
  count: number;
}

export interface AdaBnResult {
  /** Images read in the first pass. */
  images: number;
  layers: LayerStatistics[];
  /** Layer calls made per image, over the layers a forward pass calls: 1 is one forward pass. */
  forwardPasses: number;
}

/** 512 MiB: the activations of about 100 images at 224×224 in MobileNetV2's widest stretch. */
export const DEFAULT_CACHE_BYTES = 512 * 2 ** 20;

interface Target {
  layer: CalibraBatchNorm;
  position: number;
}

function targetsIn(graph: FlatGraph, layers: readonly CalibraBatchNorm[]): Target[] {
  return layers.map((layer) => {
    const at = graph.nodes.flatMap((n, i) => (n.layer === layer ? [i] : []));
    if (at.length !== 1) throw new Error(`BN layer '${layer.name}' is called ${at.length} times in the network; AdaBN needs exactly one call`);
    return { layer, position: at[0]! };
  }).sort((a, b) => a.position - b.position);
}

export async function adaBn(args: AdaBnArgs): Promise<AdaBnResult> {
  const graph = flattenModel(args.model);
  const targets = targetsIn(graph, args.layers);
  if (targets.length === 0) return { images: 0, layers: [], forwardPasses: 0 };
  return args.mode === 'fast' ? fastPass(args, graph, targets) : exactPasses(args, graph, targets);
}

function statistics(layer: CalibraBatchNorm, m: ChannelMoments): LayerStatistics {
  const variance = momentsVariance(m);
  layer.setMovingStatistics(m.mean, variance);
  return { name: layer.name, mean: m.mean, variance, count: m.count };
}

async function fastPass(args: AdaBnArgs, graph: FlatGraph, targets: Target[]): Promise<AdaBnResult> {
  const moments = new Map(targets.map((t) => [t.layer, emptyMoments(t.layer.movingMean.shape[0]!)]));
  const saved = targets.map((t) => ({ layer: t.layer, observer: t.layer.observer, batchStatistics: t.layer.batchStatistics }));
  const positions = nodesFor(graph, targets.map((t) => graph.nodes[t.position]!.outputs[0]!), new Set([graph.input]));
  let images = 0;
  try {
    for (const t of targets) {
      t.layer.batchStatistics = true;
      t.layer.observer = (layer, m) => moments.set(layer, mergeMoments(moments.get(layer)!, batchMoments(m.mean, m.variance, m.count)));
    }
    const start = performance.now();
    for await (const x of args.source()) {
      const n = x.shape[0]!;
      try {
        runNodes(graph, positions, new Map([[graph.input, x]]), []);
      } finally {
        x.dispose();
      }
      images += n;
      args.onProgress?.({ imagesDone: images, totalImages: Math.max(images, args.expectedImages), layer: null, layerIndex: targets.length, layers: targets.length, seconds: (performance.now() - start) / 1000 });
    }
  } finally {
    for (const s of saved) {
      s.layer.observer = s.observer;
      s.layer.batchStatistics = s.batchStatistics;
    }
  }
  if (images === 0) return { images, layers: [], forwardPasses: 0 };
  const layers = targets.map((t) => statistics(t.layer, moments.get(t.layer)!));
  return { images, layers, forwardPasses: positions.length / graph.nodes.length };
}

/** Activations of every image for a set of tensors, batch by batch, on the JS side. */
/** Activations kept on the backend between passes, per batch one tensor per key. */
interface Cache {
  keys: string[];
  batches: { n: number; tensors: tf.Tensor[] }[];
}

function valuesPerImage(graph: FlatGraph, model: tf.LayersModel): Map<string, number> {
  const sizes = new Map<string, number>([[graph.input, model.inputs[0]!.shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1)]]);
  for (const node of graph.nodes) node.outputs.forEach((k, i) => sizes.set(k, node.outputSizes[i]!));
  return sizes;
}

/** Tensors made at or before `position` that the nodes after it, up to the last target, still read. */
function liveAfter(graph: FlatGraph, position: number, remaining: readonly Target[]): string[] {
  const made = new Set<string>([graph.input]);
  for (let i = 0; i <= position; i++) for (const k of graph.nodes[i]!.outputs) made.add(k);
  const later = nodesFor(graph, remaining.map((t) => graph.nodes[t.position]!.outputs[0]!), new Set([graph.input])).filter((i) => i > position);
  const live = new Set<string>();
  for (const i of later) for (const k of graph.nodes[i]!.inputs) if (made.has(k)) live.add(k);
  return [...live];
}

/** `owned`: the values came from the source, so the consumer disposes them; a cache's stay. */
async function* batchesFrom(cache: Cache | null, source: InputSource, input: string): AsyncGenerator<{ n: number; values: Map<string, tf.Tensor>; owned: boolean }> {
  if (cache === null) {
    for await (const x of source()) yield { n: x.shape[0]!, values: new Map([[input, x]]), owned: true };
    return;
  }
  for (const batch of cache.batches) yield { n: batch.n, values: new Map(cache.keys.map((k, i) => [k, batch.tensors[i]!])), owned: false };
}

async function exactPasses(args: AdaBnArgs, graph: FlatGraph, targets: Target[]): Promise<AdaBnResult> {
  const budget = args.cacheBytes ?? DEFAULT_CACHE_BYTES;
  const sizes = valuesPerImage(graph, args.model);
  let cache: Cache | null = null;
  let images = -1;
  let calls = 0;
  const layers: LayerStatistics[] = [];
  let next: Cache | null = null;
  try {
  for (const [j, target] of targets.entries()) {
    const inputKey = graph.nodes[target.position]!.inputs[0]!;
    const channels = target.layer.movingMean.shape[0]!;
    const live = liveAfter(graph, target.position - 1, targets.slice(j));
    const imagesForSizing = images >= 0 ? images : args.expectedImages;
    const keep = live.reduce((s, k) => s + sizes.get(k)!, 0) * 4 * imagesForSizing <= budget;
    const want = keep ? live : [inputKey];
    const positions = nodesFor(graph, want, new Set(cache?.keys ?? [graph.input]));
    next = { keys: want, batches: [] };
    let moments = emptyMoments(channels);
    let done = 0;
    const start = performance.now();
    for await (const { n, values, owned } of batchesFrom(cache, args.source, graph.input)) {
      try {
        const out = runNodes(graph, positions, values, want);
        moments = mergeMoments(moments, activationMoments(out.get(inputKey)!, channels));
        const kept = keep ? want.map((k) => out.get(k)!) : [];
        if (keep) next.batches.push({ n, tensors: kept });
        const given = new Set(values.values());
        tf.dispose([...out.values()].filter((t) => !given.has(t) && !kept.includes(t)));
        if (owned) tf.dispose([...given].filter((t) => !kept.includes(t)));
      } catch (e) {
        if (owned) tf.dispose([...values.values()]);
        throw e;
      }
      calls += positions.length * n;
      done += n;
      args.onProgress?.({ imagesDone: done, totalImages: Math.max(done, imagesForSizing), layer: target.layer.name, layerIndex: j + 1, layers: targets.length, seconds: (performance.now() - start) / 1000 });
    }
    if (images < 0) images = done;
    if (images === 0) return { images, layers: [], forwardPasses: 0 };
    layers.push(statistics(target.layer, moments));
    if (keep) {
      // A key still live may have passed through unchanged: the same tensor in both caches.
      const carried = new Set(next.batches.flatMap((b) => b.tensors));
      if (cache) tf.dispose(cache.batches.flatMap((b) => b.tensors).filter((t) => !carried.has(t)));
      cache = next;
    }
  }
  return { images, layers, forwardPasses: calls / (images * graph.nodes.length) };
  } finally {
    tf.dispose([...(cache?.batches ?? []), ...(next?.batches ?? [])].flatMap((b) => b.tensors));
  }
}
