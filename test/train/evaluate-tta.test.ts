// Test-time flip augmentation in evaluate(), against the same linear model computed by hand on
// each image and on its mirror built pixel by pixel.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { evaluate } from '../../src/train/evaluate.js';
import type { Batch } from '../../src/data/batches.js';
import type { Manifest } from '../../src/models/manifest.js';

await tf.setBackend('cpu');

// Images 1 high, 3 wide, RGB; a dense layer on the flattened input (9 values) gives 2 logits.
const [H, W] = [1, 3];
const WEIGHTS = [
  [0.9, -0.4], [0.1, 0.3], [-0.2, 0.5],
  [0.0, 0.2], [0.4, -0.1], [0.3, 0.3],
  [-0.7, 0.8], [0.2, -0.5], [0.6, 0.1],
];
const BIAS = [0.05, -0.05];
const IMAGES = [
  [200, 10, 40, 30, 30, 30, 5, 90, 250],
  [10, 220, 60, 100, 0, 50, 240, 20, 5],
  [120, 120, 120, 10, 200, 10, 60, 60, 255],
  [255, 0, 0, 0, 255, 0, 0, 0, 255],
];
const LABELS = [0, 1, 1, 0];

function mirror(pixels: number[]): number[] {
  const out: number[] = [];
  for (let x = W - 1; x >= 0; x--) out.push(...pixels.slice(x * 3, x * 3 + 3));
  return out;
}

function softmaxByHand(pixels: number[]): number[] {
  const logits = BIAS.map((b, k) => pixels.reduce((s, p, i) => s + (p / 255) * WEIGHTS[i]![k]!, b));
  const z = logits.reduce((s, v) => s + Math.exp(v), 0);
  return logits.map((v) => Math.exp(v) / z);
}

async function run(tta: 'none' | 'flip') {
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [H, W, 3] }), tf.layers.dense({ units: 2 })] });
  model.layers[1]!.setWeights([tf.tensor2d(WEIGHTS), tf.tensor1d(BIAS)]);
  const manifest = { classes: ['a', 'b'], inputShape: [H, W, 3], output: 'logits', preprocessing: { resize: 'squash', scale: [1 / 255, 1 / 255, 1 / 255], offset: [0, 0, 0] } } as unknown as Manifest;
  const batch: Batch = { x: Float32Array.from(IMAGES.flat()), y: Int32Array.from(LABELS), n: IMAGES.length, paths: IMAGES.map((_, i) => `img${i}`) };
  async function* batches() {
    yield batch;
  }
  const result = await evaluate(model, manifest, batches(), IMAGES.length, undefined, undefined, { tta });
  model.dispose();
  return result;
}

function byHand(tta: 'none' | 'flip') {
  return IMAGES.map((img, i) => {
    const p = tta === 'flip' ? softmaxByHand(img).map((v, k) => (v + softmaxByHand(mirror(img))[k]!) / 2) : softmaxByHand(img);
    const predicted = p[1]! > p[0]! ? 1 : 0;
    return { path: `img${i}`, predicted, probability: p[predicted]!, right: predicted === LABELS[i] };
  });
}

test('--tta flip scores each image by the mean of its and its mirror\'s softmax; none by its own', async () => {
  for (const tta of ['none', 'flip'] as const) {
    const expected = byHand(tta);
    const result = await run(tta);
    assert.equal(result.accuracy, expected.filter((e) => e.right).length / IMAGES.length, tta);
    const wrong = expected.filter((e) => !e.right);
    assert.deepEqual(result.misclassified.map((m) => m.path), wrong.map((e) => e.path), tta);
    result.misclassified.forEach((m, i) => assert.ok(Math.abs(m.probability - wrong[i]!.probability) < 1e-5, `${tta} ${m.path}: ${m.probability} vs ${wrong[i]!.probability}`));
  }
  assert.notDeepEqual(byHand('none').map((e) => e.predicted), byHand('flip').map((e) => e.predicted), 'the mirror changes at least one answer here, so the two modes are told apart');
});
