// The shipped architectures, built with tf.layers exactly as training builds them, give the same
// loss gradients on the native engine as on the cpu backend. Kernel tests call ops directly;
// this catches what only layers pass (e.g. `dilations: null` from DepthwiseConv2D).
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import { mobilenetV2Imagenet, type ArchitectureSpec } from '../../src/models/architectures/spec.js';
import { digitsResNetSpec } from '../../src/models/architectures/digits.js';
import { crossEntropy } from '../../src/train/loss.js';
import { fallbackCount } from '../../src/engine/native/native-kernel.js';
import { createRng } from '../../src/util/rng.js';
import { setUpNative } from './harness.js';

const skip = await setUpNative();

function gradients(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor1D): Float32Array[] {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, y, 3, 'logits'), vars);
  const out = vars.map((v) => grads[v.name]!.dataSync() as Float32Array);
  tf.dispose(Object.values(grads));
  return out;
}

const specs: [string, ArchitectureSpec][] = [
  ['MobileNetV2 α=0.35', { ...mobilenetV2Imagenet(0.35, 32, 3), stages: mobilenetV2Imagenet(0.35, 32, 3).stages.slice(0, 4) }],
  ['digits ResNet', { ...digitsResNetSpec(), numClasses: 3 }],
];

for (const [name, spec] of specs) {
  test(`${name}: full training gradients on native match cpu`, { skip }, async () => {
    await tf.setBackend('cpu');
    const model = buildArchitecture(spec);
    const rng = createRng(5);
    // Seeded weights, so the comparison is the same on every run.
    model.setWeights(model.weights.map((w) => {
      const shape = w.shape as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      return tf.tensor(Float32Array.from({ length: size }, () => (/moving_variance/.test(w.originalName) ? 1 : 0.3 * rng.normal())), shape);
    }));
    const [h, w, c] = spec.inputShape;
    const x = tf.tensor4d(Float32Array.from({ length: 4 * h * w * c }, () => rng.normal()), [4, h, w, c]);
    const y = tf.tensor1d([0, 1, 2, 1], 'int32');
    const reference = gradients(model, x, y);
    await tf.setBackend('wasm');
    const before = ['DepthwiseConv2dNative', 'FusedConv2D', 'Conv2D'].map((k) => fallbackCount(k));
    const native = gradients(model, x, y);
    assert.deepEqual(['DepthwiseConv2dNative', 'FusedConv2D', 'Conv2D'].map((k) => fallbackCount(k)), before, 'no call fell back to the stock kernels');
    reference.forEach((ref, i) => {
      const scale = Math.max(1e-3, ...ref.map(Math.abs));
      const worst = ref.reduce((m, v, j) => Math.max(m, Math.abs(v - native[i]![j]!)), 0);
      // Batch statistics over 4 images, through ~50 layers, amplify float32 summation-order
      // differences to ~2e-3 of the gradient's scale; a wrong kernel is off by O(1).
      assert.ok(worst / scale < 1e-2, `${model.trainableWeights[i]!.name}: max abs diff ${worst} vs scale ${scale}`);
    });
    model.dispose();
    tf.dispose([x, y]);
  });
}
