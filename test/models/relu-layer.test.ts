import test from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../src/engine/tf.js';
import { registerWasmTrainingKernels } from '../../src/engine/kernels/register-all.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import { mobilenetV2Imagenet } from '../../src/models/architectures/spec.js';
import { CalibraReLU, reLU } from '../../src/models/layers/relu-layer.js';
import { leafLayers } from '../../src/models/layer-walk.js';
import { loadModel } from '../../src/models/model-io.js';
import { createRng } from '../../src/util/rng.js';
import { TM_MOBILENET } from '../helpers/assets.js';

registerWasmTrainingKernels();
await tf.setBackend('cpu');

const SHAPE = [2, 5, 5, 3];
const rng = createRng(4401);
const x = Float32Array.from({ length: 150 }, () => 8 * rng.normal() + 2);
x.set([0, -0, 6, NaN, Infinity, -Infinity, 5.999999523162842, 6.000000476837158]);
const dy = Float32Array.from({ length: 150 }, () => rng.normal());

/** The layer's output, and the gradient of sum(output · dy) with respect to its input. */
function outputAndGradient(layer: tf.layers.Layer): Float32Array[] {
  return tf.tidy(() => {
    const upstream = tf.tensor(dy, SHAPE);
    const f = (t: tf.Tensor): tf.Tensor => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, upstream));
    const input = tf.tensor(x, SHAPE);
    return [layer.apply(input) as tf.Tensor, tf.grad(f)(input)].map((t) => t.dataSync() as Float32Array);
  });
}

function kernelsOf(layer: tf.layers.Layer): Promise<string[]> {
  return tf.profile(() => tf.tidy(() => layer.apply(tf.tensor(x, SHAPE)) as tf.Tensor)).then((info) => {
    tf.dispose(info.result as tf.Tensor);
    return info.kernelNames.filter((k) => k !== 'Identity');
  });
}

for (const backend of ['cpu', 'wasm']) {
  test(`ReLU with maxValue 6 is one Relu6 kernel with the stock layer's values on ${backend}`, async () => {
    await tf.setBackend(backend);
    const tensors = tf.memory().numTensors;
    const [y, dx] = outputAndGradient(reLU({ maxValue: 6 }));
    const [stockY, stockDx] = outputAndGradient(tf.layers.reLU({ maxValue: 6 }));
    assert.deepEqual(Array.from(y!), Array.from(stockY!));
    // Equal as numbers: the stock gradient's where() gives 0 above 6 where tfjs's Relu6
    // gradient gives dy · 0, which is −0 for negative dy.
    assert.ok(dx!.every((v, i) => v === stockDx![i] || (Number.isNaN(v) && Number.isNaN(stockDx![i]!))), 'gradients differ');
    assert.deepEqual(await kernelsOf(reLU({ maxValue: 6 })), ['Relu6']);
    assert.equal(tf.memory().numTensors, tensors, 'tensors leaked');
    await tf.setBackend('cpu');
  });
}

test('ReLU without maxValue 6 keeps the stock computation', async () => {
  for (const args of [{}, { maxValue: 4 }, { maxValue: 6.5 }]) {
    const ours = reLU(args);
    assert.deepEqual(outputAndGradient(ours).map((v) => Array.from(v)), outputAndGradient(tf.layers.reLU(args)).map((v) => Array.from(v)));
    assert.deepEqual(await kernelsOf(ours), await kernelsOf(tf.layers.reLU(args)));
  }
});

test('the layer saves as the stock ReLU and loads back as CalibraReLU with the same outputs', async () => {
  const build = (relu: tf.layers.Layer): tf.Sequential =>
    tf.sequential({ name: 'net', layers: [tf.layers.dense({ name: 'dense', inputShape: [3], units: 4, kernelInitializer: 'ones', biasInitializer: 'ones' }), relu] });
  const stock = build(tf.layers.reLU({ maxValue: 6, name: 'relu6' }));
  const ours = build(reLU({ maxValue: 6, name: 'relu6' }));
  assert.deepEqual(ours.layers[1]!.getConfig(), stock.layers[1]!.getConfig());
  assert.equal(ours.layers[1]!.getClassName(), 'ReLU');

  let artifacts: tf.io.ModelArtifacts | undefined;
  await ours.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  assert.deepEqual(artifacts!.modelTopology, stock.toJSON(null, false));
  const back = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
  assert.ok(back.layers[1] instanceof CalibraReLU);
  const input = tf.tensor2d([[-1, 0.5, 2], [0, 0, 0], [1, 1, 1]]);
  const [a, b] = [stock, back].map((m) => m.predict(input) as tf.Tensor);
  assert.deepEqual(Array.from(b!.dataSync()), Array.from(a!.dataSync()));
  tf.dispose([input, a!, b!]);
  [stock, ours, back].forEach((m) => m.dispose());
});

test('built MobileNetV2s and loaded Keras MobileNets get the layer at every ReLU6', async () => {
  const relus = (model: tf.LayersModel): tf.layers.Layer[] => leafLayers(model).filter((l) => l.getClassName() === 'ReLU');
  const built = buildArchitecture(mobilenetV2Imagenet(0.35, 32, 2));
  const { model: loaded } = await loadModel(TM_MOBILENET);
  for (const model of [built, loaded]) {
    const layers = relus(model);
    assert.ok(layers.length > 30);
    assert.ok(layers.every((l) => l instanceof CalibraReLU && l.maxValue === 6));
    model.dispose();
  }
});
