import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { BENCH_CASES, missingAssets } from '../../src/bench/cases.js';
import { torchAvailable, torchParameterCount } from '../../src/bench/torch-reference.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';

await tf.setBackend('cpu');
const missing = torchAvailable();

test('each benchmark case builds the same network in PyTorch: same parameters and BN buffers', { skip: missing ?? false }, () => {
  // Cases that share a spec share a network: each distinct spec is built once on each side.
  const distinct = new Map(BENCH_CASES.map((c) => [JSON.stringify(c.spec), c]));
  for (const c of distinct.values()) {
    const model = buildArchitecture(c.spec);
    const trainable = model.weights.filter((w) => !/moving_(mean|variance)/.test(w.originalName)).reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
    const buffers = model.weights.filter((w) => /moving_(mean|variance)/.test(w.originalName)).reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
    const torch = torchParameterCount(c);
    assert.equal(torch.parameters, trainable, `${c.name}: parameters`);
    assert.equal(torch.bn_buffers, buffers, `${c.name}: BN running statistics`);
    model.dispose();
  }
});

const cachedHeadAssets = BENCH_CASES.filter((k) => k.mode === 'cached-head').map(missingAssets).find((m) => m !== null) ?? null;

test('the cached-head case\'s real model, with its new head, is the network its PyTorch twin builds', { skip: missing ?? cachedHeadAssets ?? false }, async () => {
  const { loadModel } = await import('../../src/models/model-io.js');
  const { replaceHead } = await import('../../src/models/head.js');
  for (const c of BENCH_CASES.filter((k) => k.mode === 'cached-head')) {
    const parent = await loadModel(c.fineTune!.model);
    const model = replaceHead(parent.model, c.spec.numClasses);
    const count = (moving: boolean) => model.weights.filter((w) => /moving_(mean|variance)/.test(w.originalName) === moving).reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
    const torch = torchParameterCount(c);
    assert.equal(torch.parameters, count(false), `${c.name}: parameters`);
    assert.equal(torch.bn_buffers, count(true), `${c.name}: BN running statistics`);
    model.dispose();
  }
});

for (const c of BENCH_CASES.filter((k) => k.mode === 'recalibrate-exact')) {
  test(`${c.name}: the real model holds the BN statistics its PyTorch twin recalibrates`, { skip: missing ?? missingAssets(c) ?? false }, async () => {
    const { loadModel } = await import('../../src/models/model-io.js');
    const { model } = await loadModel(c.recalibrate!.model);
    const buffers = model.weights.filter((w) => /moving_(mean|variance)/.test(w.originalName)).reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
    // The classifiers differ (the TM base's own head, the twin's Linear); the BN layers do not.
    assert.equal(torchParameterCount(c).bn_buffers, buffers);
    model.dispose();
  });
}
