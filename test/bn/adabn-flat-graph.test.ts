// The flattened graph AdaBN's exact mode runs on: nested containers opened, residual joins kept,
// and running it gives what the model itself gives.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { flattenModel, nodesFor, runNodes } from '../../src/models/flat-graph.js';
import { createRng } from '../../src/util/rng.js';

await tf.setBackend('cpu');

function nestedModel(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.5, seed });
  const inner = tf.sequential({ name: 'inner', layers: [
    tf.layers.conv2d({ name: 'a_conv', filters: 3, kernelSize: 3, padding: 'same', kernelInitializer: init(1), inputShape: [5, 5, 2] }),
    tf.layers.reLU({ name: 'a_relu' }),
  ] });
  const input = tf.input({ shape: [5, 5, 2] });
  const y = inner.apply(input) as tf.SymbolicTensor;
  const skip = tf.layers.conv2d({ name: 'b_conv', filters: 3, kernelSize: 1, kernelInitializer: init(2) }).apply(input) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'b_add' }).apply([y, skip]) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'c_pool' }).apply(sum) as tf.SymbolicTensor;
  const functional = tf.model({ inputs: input, outputs: pooled, name: 'functional' });
  // Exported models wrap the functional body in a Sequential with a head.
  return tf.sequential({ layers: [functional, tf.layers.dense({ name: 'd_dense', units: 2, kernelInitializer: init(3), inputShape: [3] })] });
}

test('the flat graph lists leaf layers only, in an order that respects every input', () => {
  const graph = flattenModel(nestedModel());
  const names = graph.nodes.map((n) => n.layer.name);
  assert.deepEqual([...names].sort(), ['a_conv', 'a_relu', 'b_add', 'b_conv', 'c_pool', 'd_dense']);
  const made = new Set([graph.input]);
  for (const node of graph.nodes) {
    for (const k of node.inputs) assert.ok(made.has(k), `${node.layer.name} reads ${k} before it is made`);
    node.outputs.forEach((k) => made.add(k));
  }
  assert.deepEqual(graph.nodes.find((n) => n.layer.name === 'a_conv')!.outputSizes, [5 * 5 * 3]);
});

test('running every node gives the model output; a stretch runs from tensors given to it', () => {
  const model = nestedModel();
  const graph = flattenModel(model);
  const rng = createRng(4);
  const x = tf.tensor4d(Float32Array.from({ length: 3 * 50 }, () => rng.normal()), [3, 5, 5, 2]);
  const expected = (model.apply(x) as tf.Tensor).dataSync();
  const all = runNodes(graph, nodesFor(graph, [graph.output], new Set([graph.input])), new Map([[graph.input, x]]), [graph.output]);
  assert.deepEqual(Array.from(all.get(graph.output)!.dataSync()), Array.from(expected));
  // From the sum onward only the pool and the dense layer run.
  const add = graph.nodes.find((n) => n.layer.name === 'b_add')!;
  const sum = runNodes(graph, nodesFor(graph, add.outputs, new Set([graph.input])), new Map([[graph.input, x]]), add.outputs);
  const tail = nodesFor(graph, [graph.output], new Set(add.outputs));
  assert.deepEqual(tail.map((i) => graph.nodes[i]!.layer.name), ['c_pool', 'd_dense']);
  const fromSum = runNodes(graph, tail, sum, [graph.output]);
  assert.deepEqual(Array.from(fromSum.get(graph.output)!.dataSync()), Array.from(expected));
});
