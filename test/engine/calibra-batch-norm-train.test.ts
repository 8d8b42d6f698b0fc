import test from 'node:test';
import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import { assertClose, onBothBackends, randomValues, setUpBackends } from './wasm-vs-cpu.js';

await setUpBackends();

const EPSILON = 1e-3;
const NAMES = ['y', 'mean', 'variance', 'dx', 'dscale', 'doffset'];

// The reference is what src/bn/batch-norm-train-op.ts runs where no kernel is registered:
// tf.moments and tf.batchNorm, differentiated by tfjs.
function composite(x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor, dy: tf.Tensor): tf.Tensor[] {
  const axes = [...Array(x.rank - 1).keys()];
  const normalise = (a: tf.Tensor, s: tf.Tensor, o: tf.Tensor): tf.Tensor => {
    const { mean, variance } = tf.moments(a, axes);
    return tf.batchNorm(a, mean, variance, o, s, EPSILON);
  };
  const { mean, variance } = tf.moments(x, axes);
  const grads = tf.grads((a, s, o) => tf.sum(tf.mul(normalise(a!, s!, o!), dy)));
  return [normalise(x, scale, offset), mean, variance, ...grads([x, scale, offset])];
}

function kernels(x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor, dy: tf.Tensor): tf.Tensor[] {
  const attrs = { epsilon: EPSILON };
  const [y, mean, variance] = tf.engine().runKernel(
    'CalibraBatchNormTrain', { x, scale, offset }, attrs) as tf.Tensor[];
  const grads = tf.engine().runKernel(
    'CalibraBatchNormTrainGrad', { dy, x, scale, mean: mean!, variance: variance! }, attrs) as tf.Tensor[];
  return [y!, mean!, variance!, ...grads];
}

const cases: { label: string; shape: number[]; shift: number }[] = [
  { label: 'conv activations [3, 5, 7, 6]', shape: [3, 5, 7, 6], shift: 0 },
  // A mean far from zero against unit spread: the gradient must not cancel it away.
  { label: 'activations with mean 50 [4, 3, 3, 5]', shape: [4, 3, 3, 5], shift: 50 },
  { label: 'dense features [9, 4]', shape: [9, 4], shift: 0 },
  { label: 'sequence [2, 5, 3]', shape: [2, 5, 3], shift: 0 },
];

for (const { label, shape, shift } of cases) {
  test(`CalibraBatchNormTrain and its gradient on wasm match tfjs ops on cpu: ${label}`, async () => {
    const rng = createRng(2701);
    const channels = shape[shape.length - 1]!;
    const x = randomValues(rng, shape).map((v) => shift + v);
    const scale = randomValues(rng, [channels]);
    const offset = randomValues(rng, [channels]);
    const dy = randomValues(rng, shape);
    const tensors = (): tf.Tensor[] => [
      tf.tensor(x, shape), tf.tensor1d(scale), tf.tensor1d(offset), tf.tensor(dy, shape),
    ];
    const results = await onBothBackends(
      () => kernels(...(tensors() as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])),
      () => composite(...(tensors() as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])),
    );
    assertClose(results, 1e-4, NAMES);
  });
}
