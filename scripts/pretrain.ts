// `npm run pretrain`: trains the shipped digits model from scratch on the synthetic source
// domain only, then measures it on every synthetic domain and writes pretrained/digits-resnet/.
// Reproducible: the seed fixes the weights' initialisation order and every rendered image.
//
//   npm run pretrain -- [--steps N] [--batch B] [--lr X] [--seed N] [--no-vary] [--out DIR] [--backend NAME]
//
// Sized for two cores: about 5 minutes on the native engine, under 30 on plain wasm.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import type { tf } from '../src/engine/tf.js';
import { describeBackend, initEngine, parseBackendName } from '../src/engine/backend.js';
import { buildArchitecture } from '../src/models/architectures/build.js';
import { digitsResNetSpec } from '../src/models/architectures/digits.js';
import { saveModel } from '../src/models/model-io.js';
import { buildManifest } from '../src/models/manifest-builder.js';
import { PIXELS_0_1 } from '../src/models/manifest.js';
import { PRETRAINED_DIR } from '../src/models/zoo.js';
import { DOMAIN_IDS, SOURCE_DOMAIN_ID } from '../src/data/synth/domains.js';
import { renderDigit } from '../src/data/synth/render.js';
import { varySourceDigit } from '../src/data/synth/source-variation.js';
import { createRng, type Rng } from '../src/util/rng.js';
import { trainLoop } from '../src/train/trainer.js';
import { optimizerFor } from '../src/train/optimizers.js';
import { cosineLr } from '../src/train/schedule.js';
import { evaluate } from '../src/train/evaluate.js';
import type { Batch } from '../src/data/batches.js';
import { progressPrinter } from '../src/cli/progress.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '8000' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.002' },
    seed: { type: 'string', default: '1' },
    'eval-per-class': { type: 'string', default: '100' },
    out: { type: 'string', default: join(PRETRAINED_DIR, 'digits-resnet') },
    backend: { type: 'string' },
    'no-vary': { type: 'boolean' },
  },
});
const steps = Number(values.steps), batchSize = Number(values.batch), lr = Number(values.lr), seed = Number(values.seed);
const size = 32;
const warmup = Math.min(100, Math.floor(steps / 10));

const vary = !values['no-vary'];

function renderBatch(domain: string, rng: Rng, n: number): Batch {
  const x = new Float32Array(n * size * size * 3);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.int(10);
    const pixels = renderDigit(domain, y[i]!, rng, size);
    x.set(vary ? varySourceDigit(pixels, size, rng) : pixels, i * size * size * 3);
  }
  return { x, y, n };
}

async function* heldOut(domain: string, perClass: number): AsyncGenerator<Batch> {
  // A seed far from the training stream's, so no held-out image is ever trained on.
  const rng = createRng(1_000_003 + seed * 7919 + DOMAIN_IDS.indexOf(domain));
  const labels = Array.from({ length: perClass * 10 }, (_, i) => i % 10);
  for (let i = 0; i < labels.length; i += 200) {
    const chunk = labels.slice(i, i + 200);
    const x = new Float32Array(chunk.length * size * size * 3);
    chunk.forEach((label, k) => x.set(renderDigit(domain, label, rng, size), k * size * size * 3));
    yield { x, y: Int32Array.from(chunk), n: chunk.length };
  }
}

const backend = await initEngine(values.backend ? parseBackendName(values.backend, '--backend') : undefined);
console.error(describeBackend(backend));
const spec = digitsResNetSpec();
const model = buildArchitecture(spec);
const classes = Array.from({ length: 10 }, (_, i) => String(i));
const draft = buildManifest(model, {
  id: 'digits-resnet',
  description: `digits 0-9, ResNet 16/32/64, trained on synthetic '${SOURCE_DOMAIN_ID}' digits only`,
  architecture: { ...spec }, inputShape: spec.inputShape, preprocessing: PIXELS_0_1, classes, output: 'logits',
  augment: { flip: false, cropScale: [0.7, 1] },
  recipe: {}, bnStatistics: `pretrain:synth/${SOURCE_DOMAIN_ID}`,
  lineage: { parent: null, dataset: `synth/${SOURCE_DOMAIN_ID}?seed=${seed}` },
});

const dataRng = createRng(seed);
const summary = await trainLoop({
  model, manifest: draft,
  variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
  optimizer: optimizerFor('adam', lr), schedule: cosineLr(lr, steps, warmup),
  source: () => (async function* () { for (let s = 0; s < steps; s++) yield renderBatch(SOURCE_DOMAIN_ID, dataRng, batchSize); })(),
  imagesPerEpoch: steps * batchSize, batchSize, epochs: 1, emit: progressPrinter(),
});

const perDomain: Record<string, number> = {};
const perClass = Number(values['eval-per-class']);
for (const domain of DOMAIN_IDS) {
  const r = await evaluate(model, { ...draft, contentHash: '' }, heldOut(domain, perClass), perClass * 10);
  perDomain[domain] = Number(r.accuracy.toFixed(4));
  console.error(`held-out ${domain}: ${(100 * r.accuracy).toFixed(1)}% (n=${r.n})`);
}
const saved = await saveModel(model, {
  ...draft,
  recipe: {
    script: 'npm run pretrain', steps, batch: batchSize, optimizer: 'adam', lr, schedule: `cosine, ${warmup}-step warm-up`,
    seed, data: `synth/${SOURCE_DOMAIN_ID}, rendered on the fly, ${steps * batchSize} images`,
    sourceVariation: vary ? 'exposure gain 0.45-1 and black level, blur (p 0.3), sensor noise (p 0.5), random resized crop 0.7-1; no inversion, colour or texture' : 'none',
    backend: backend.name, seconds: Math.round(summary.seconds), imagesPerSecond: Number(summary.imagesPerSecond.toFixed(1)),
    finalTrainLoss: Number(summary.loss.toFixed(4)), heldOutAccuracy: perDomain, heldOutPerClass: perClass,
  },
}, values.out!);
console.error(`wrote ${values.out} (${saved.contentHash}) in ${summary.seconds.toFixed(0)} s at ${summary.imagesPerSecond.toFixed(1)} img/s`);
