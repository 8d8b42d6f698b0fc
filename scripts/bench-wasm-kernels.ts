// Micro-benchmark of training on the wasm backend with Calibra's training kernels: images/s of
// one SGD step of a small BN CNN, and where the step's time goes, kernel by kernel. It runs the
// CNN twice: with tf.layers' BatchNormalization, whose training step tfjs composes of ops, and
// with Calibra's (src/bn), which runs the fused CalibraBatchNormTrain kernel.
//
//   npx tsx scripts/bench-wasm-kernels.ts [--steps N] [--batch B] [--cpu]
//
// --cpu also times the pure-JS cpu backend, at batch 8 and 2 steps: it is too slow for more.
// Kernel times come from tf.profile. A kernel of ours that is built from other wasm kernels
// calls them directly, so its time includes theirs and nothing is counted twice.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { getKernel } from '@tensorflow/tfjs-core';
import { CalibraBatchNorm } from '../src/bn/batch-norm-layer.js';
import { registerWasmTrainingKernels } from '../src/engine/kernels/register-all.js';

const FILTERS = [16, 32, 64, 128];
const STRIDES = [1, 2, 2, 2];
const SIZE = 32;
const CLASSES = 10;

interface BnVariant {
  label: string;
  layer: () => tf.layers.Layer;
}

const BN_VARIANTS: BnVariant[] = [
  { label: 'tf.layers BatchNormalization', layer: () => tf.layers.batchNormalization() },
  {
    label: "Calibra's BatchNorm (CalibraBatchNormTrain kernel)",
    layer: () => new CalibraBatchNorm({ momentum: 0.99, epsilon: 1e-3 }),
  },
];

function buildModel(bn: BnVariant): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 3] });
  let h: tf.SymbolicTensor = input;
  FILTERS.forEach((filters, i) => {
    h = tf.layers
      .conv2d({ filters, kernelSize: 3, strides: STRIDES[i], padding: 'same', useBias: false })
      .apply(h) as tf.SymbolicTensor;
    h = bn.layer().apply(h) as tf.SymbolicTensor;
    h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
  });
  h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: CLASSES }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits });
}

function makeStep(model: tf.LayersModel, x: tf.Tensor, labels: tf.Tensor): () => void {
  const optimizer = tf.train.sgd(0.01);
  const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return () =>
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const logits = model.apply(x, { training: true }) as tf.Tensor;
        return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
      }, trainable);
      optimizer.applyGradients(grads);
    });
}

interface Rate {
  median: number;
  best: number;
}

/**
 * Images/s from the median and from the fastest of `steps` steps. Other processes share these
 * cores; the fastest step is the best estimate of what the code itself costs.
 */
function imagesPerSecond(step: () => void, batch: number, steps: number): Rate {
  step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    step();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    median: (batch * 1000) / times[Math.floor(times.length / 2)]!,
    best: (batch * 1000) / times[0]!,
  };
}

/** Kernel names and times of one step, in execution order. */
async function profileStep(step: () => void): Promise<{ name: string; ms: number }[]> {
  const profile = await tf.profile(step);
  return profile.kernels
    // Scopes such as customGrad's `fusedConv2d__op` enclose kernels listed on their own.
    .filter((k) => getKernel(k.name, 'wasm'))
    .map((k) => ({ name: k.name, ms: typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0 }));
}

/** Each kernel call's fastest time over `runs` profiled steps, summed by kernel. */
async function kernelBreakdown(step: () => void, runs: number): Promise<void> {
  const fastest = await profileStep(step);
  for (let r = 1; r < runs; r++) {
    (await profileStep(step)).forEach((call, i) => {
      fastest[i]!.ms = Math.min(fastest[i]!.ms, call.ms);
    });
  }
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const { name, ms } of fastest) {
    const entry = byKernel.get(name) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls += 1;
    byKernel.set(name, entry);
  }
  const total = fastest.reduce((sum, call) => sum + call.ms, 0);
  console.log(`\nper-kernel time of one step, fastest of ${runs} (${total.toFixed(1)} ms in kernels):`);
  for (const [name, { ms, calls }] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms)) {
    if (ms < total * 0.005) continue;
    const share = ((100 * ms) / total).toFixed(1).padStart(5);
    console.log(`  ${name.padEnd(36)} ${ms.toFixed(1).padStart(8)} ms ${share}%  ${calls} calls`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string', default: '9' },
      batch: { type: 'string', default: '64' },
      cpu: { type: 'boolean', default: false },
    },
  });
  const steps = Number(values.steps);
  const batch = Number(values.batch);
  registerWasmTrainingKernels();
  console.log(
    `BN CNN: 3x3 conv filters ${FILTERS.join('/')}, strides ${STRIDES.join('/')}, each + BN + ReLU; ` +
      `global average pooling, dense ${CLASSES}; input ${SIZE}x${SIZE}x3, batch ${batch}, SGD`,
  );

  const runs = [
    ...BN_VARIANTS.map((bn) => ({ backend: 'wasm', bn })),
    ...(values.cpu ? [{ backend: 'cpu', bn: BN_VARIANTS[0]! }] : []),
  ];
  for (const { backend, bn } of runs) {
    await tf.setBackend(backend);
    const [n, size] = backend === 'cpu' ? [2, Math.min(batch, 8)] : [steps, batch];
    const model = buildModel(bn);
    const x = tf.randomNormal([size, SIZE, SIZE, 3], 0, 1, 'float32', 1);
    const labels = tf.oneHot(tf.randomUniform([size], 0, CLASSES, 'int32', 2), CLASSES);
    const step = makeStep(model, x, labels);
    const inference = () => {
      tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
    };
    const train = imagesPerSecond(step, size, n);
    const infer = imagesPerSecond(inference, size, n);
    const rate = ({ median, best }: Rate) => `${median.toFixed(0)} (best ${best.toFixed(0)})`;
    console.log(
      `\n${backend}, ${bn.label}, batch ${size}: training ${rate(train)} images/s, ` +
        `inference ${rate(infer)} images/s`,
    );
    if (backend === 'wasm') await kernelBreakdown(step, 7);
    tf.dispose([x, labels]);
    model.dispose();
  }
}

await main();
