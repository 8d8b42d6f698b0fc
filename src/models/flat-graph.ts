// A model as one flat list of leaf-layer calls in topological order, with nested containers
// (Sequential → Sequential → Model in exported models) opened up. Running any stretch of the
// network from tensors kept elsewhere then needs no graph surgery: AdaBN's exact mode runs the
// network one BN layer at a time from cached activations.
import { tf } from '../engine/tf.js';
import { isContainer } from './layer-walk.js';

export interface FlatNode {
  layer: tf.layers.Layer;
  inputs: string[];
  outputs: string[];
  /** Values per image of each output (its shape without the batch axis, multiplied out). */
  outputSizes: number[];
  /** Keyword arguments recorded when the layer was applied (tfjs's `callArgs`). */
  callArgs: Record<string, unknown>;
}

export interface FlatGraph {
  input: string;
  output: string;
  nodes: FlatNode[];
}

/** tfjs's SymbolicTensor, as far as Calibra's graph walks read it. */
export interface SymbolicLike {
  id: number;
  shape: (number | null)[];
}

/** tfjs's Node (one call of a layer), as far as Calibra's graph walks read it; not in its typings. */
export interface GraphNode {
  outboundLayer: tf.layers.Layer;
  inputTensors: SymbolicLike[];
  outputTensors: SymbolicLike[];
  callArgs?: Record<string, unknown>;
}

/** tfjs keeps a container's calls by depth, deepest (the inputs) first; not in its typings. */
interface ContainerInternals {
  inputs: SymbolicLike[];
  outputs: SymbolicLike[];
  nodesByDepth: Record<string, GraphNode[]>;
}

function perImage(shape: readonly (number | null)[]): number {
  return shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);
}

export function flattenModel(model: tf.LayersModel): FlatGraph {
  const nodes: FlatNode[] = [];
  let expansions = 0;
  const expand = (container: tf.LayersModel, inputKeys: readonly string[]): string[] => {
    // A Sequential builds its graph on first use; a model just loaded or assembled has none yet.
    if (container instanceof tf.Sequential && !container.built) container.build();
    const internals = container as unknown as ContainerInternals;
    if (internals.inputs.length !== inputKeys.length) throw new Error(`${container.name}: ${internals.inputs.length} inputs, called with ${inputKeys.length}`);
    // A container called twice has the same symbolic tensors both times; the prefix keeps the calls apart.
    const prefix = `${expansions++}:`;
    const keyOf = new Map<number, string>(internals.inputs.map((t, i) => [t.id, inputKeys[i]!]));
    const key = (t: SymbolicLike): string => {
      const k = keyOf.get(t.id);
      if (k === undefined) throw new Error(`${container.name}: tensor ${t.id} used before it is computed`);
      return k;
    };
    const depths = Object.keys(internals.nodesByDepth).map(Number).sort((a, b) => b - a);
    for (const depth of depths) {
      for (const node of internals.nodesByDepth[depth]!) {
        const layer = node.outboundLayer;
        if (layer.getClassName() === 'InputLayer') continue;
        const inputs = node.inputTensors.map(key);
        if (isContainer(layer)) {
          const outs = expand(layer, inputs);
          node.outputTensors.forEach((t, i) => keyOf.set(t.id, outs[i]!));
          continue;
        }
        const outputs = node.outputTensors.map((t) => `${prefix}${t.id}`);
        node.outputTensors.forEach((t, i) => keyOf.set(t.id, outputs[i]!));
        nodes.push({ layer, inputs, outputs, outputSizes: node.outputTensors.map((t) => perImage(t.shape)), callArgs: { ...node.callArgs } });
      }
    }
    return internals.outputs.map(key);
  };
  const inputKey = 'input';
  const [output] = expand(model, [inputKey]);
  if (model.inputs.length !== 1 || model.outputs.length !== 1) throw new Error(`${model.name}: expected one input and one output`);
  return { input: inputKey, output: output!, nodes };
}

/**
 * The positions of the nodes needed to compute `targets` from tensors already known (`known`),
 * in graph order. A key neither known nor produced by any node is an error.
 */
export function nodesFor(graph: FlatGraph, targets: readonly string[], known: ReadonlySet<string>): number[] {
  const producer = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.outputs.forEach((k) => producer.set(k, i)));
  const needed = new Set<number>();
  const stack = targets.filter((k) => !known.has(k));
  while (stack.length > 0) {
    const k = stack.pop()!;
    const at = producer.get(k);
    if (at === undefined) throw new Error(`no layer computes tensor ${k}`);
    if (needed.has(at)) continue;
    needed.add(at);
    for (const input of graph.nodes[at]!.inputs) if (!known.has(input)) stack.push(input);
  }
  return [...needed].sort((a, b) => a - b);
}

/**
 * Runs the given nodes on `values` (key → tensor) in inference mode and returns the tensors of
 * `keep`; everything else it made is disposed.
 */
export function runNodes(graph: FlatGraph, positions: readonly number[], values: ReadonlyMap<string, tf.Tensor>, keep: readonly string[]): Map<string, tf.Tensor> {
  const kept = tf.tidy(() => {
    const env = new Map(values);
    for (const at of positions) {
      const node = graph.nodes[at]!;
      const args = node.inputs.map((k) => {
        const t = env.get(k);
        if (t === undefined) throw new Error(`${node.layer.name}: input ${k} not computed`);
        return t;
      });
      const out = node.layer.apply(args.length === 1 ? args[0]! : args, { ...node.callArgs, training: false }) as tf.Tensor | tf.Tensor[];
      (Array.isArray(out) ? out : [out]).forEach((t, i) => env.set(node.outputs[i]!, t));
    }
    return keep.map((k) => {
      const t = env.get(k);
      if (t === undefined) throw new Error(`tensor ${k} not computed`);
      return t;
    });
  });
  return new Map(keep.map((k, i) => [k, kept[i]!]));
}
