// The fine-tune screen's memory figure (models/train-memory.ts) against a training step's real
// peak on the native engine, counted at the wasm heap's malloc and free: never below it, and not
// far above.
import test from 'node:test';
import assert from 'node:assert/strict';
import { BENCH_CASES } from '../../src/bench/cases.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import { buildManifest } from '../../src/models/manifest-builder.js';
import { PIXELS_0_1 } from '../../src/models/manifest.js';
import { describeLayers } from '../../src/models/layer-walk.js';
import { summariseModel } from '../../src/models/model-summary.js';
import { applyStrategy } from '../../src/train/strategy.js';
import { trainStep } from '../../src/train/trainer.js';
import { optimizerFor } from '../../src/train/optimizers.js';
import { memoryFor } from '../../src/tui/screens/fine-tune/strategy-state.js';
import { setUpNative } from './harness.js';
import { trackWasmHeap } from './heap-tracker.js';

const skip = await setUpNative();
const heap = skip ? null : trackWasmHeap();

const CASES: { name: string; batch: number; freeze: string }[] = [
  { name: 'digits-train-full', batch: 32, freeze: 'none' },
  { name: 'mnv2-224-train-full', batch: 8, freeze: 'none' },
  { name: 'mnv2-224-train-last', batch: 8, freeze: 'last:4' },
];

for (const { name, batch, freeze } of CASES) {
  test(`${name} at batch ${batch}: the estimate is 1–1.7× a step's measured peak`, { skip }, async () => {
    const c = BENCH_CASES.find((k) => k.name === name)!;
    const start = heap!.bytes;
    const model = buildArchitecture(c.spec);
    const classes = Array.from({ length: c.spec.numClasses }, (_, i) => String(i));
    const manifest = buildManifest(model, { id: name, inputShape: c.spec.inputShape, preprocessing: PIXELS_0_1, output: 'logits', classes } as Parameters<typeof buildManifest>[1]);
    const summary = summariseModel({ ...manifest, contentHash: 'x' }, describeLayers(model), name);
    const strategy = applyStrategy(model, manifest.groups, { freeze: c.freeze, bnStats: 'update', bnAffine: 'train' });
    const [h, w] = c.spec.inputShape;
    const x = Float32Array.from({ length: batch * h * w * 3 }, (_, i) => (i * 7919) % 256);
    const y = Int32Array.from({ length: batch }, (_, i) => i % c.spec.numClasses);
    const optimizer = optimizerFor('adam', 1e-3);
    const run = { model, manifest, variables: strategy.variables, optimizer };
    // The first step makes the optimizer's slots; the second is the one every later step repeats.
    await trainStep(run, [{ x, y, n: batch }]);
    heap!.reset();
    await trainStep(run, [{ x, y, n: batch }]);
    const measured = heap!.peakAbove(start);
    const estimate = memoryFor(summary, { freeze, batch, accum: 1, optimizer: 'adam' }).total;
    model.dispose();
    optimizer.dispose();
    const ratio = estimate / measured;
    assert.ok(ratio >= 1 && ratio <= 1.7, `estimate ${(estimate / 2 ** 20).toFixed(1)} MiB, measured peak ${(measured / 2 ** 20).toFixed(1)} MiB: ${ratio.toFixed(2)}×`);
  });
}
