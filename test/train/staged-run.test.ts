// A run in stages is one run to its listeners, and a stop from afterEpoch ends all of it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import type { ResNetSpec } from '../../src/models/architectures/spec.js';
import { modelGroups } from '../../src/models/manifest-builder.js';
import { PIXELS_0_1 } from '../../src/models/manifest.js';
import { applyStrategy } from '../../src/train/strategy.js';
import { optimizerFor } from '../../src/train/optimizers.js';
import { constantLr } from '../../src/train/schedule.js';
import { continueEvents, runStages, type StagePlan, type StagedPosition } from '../../src/train/staged-run.js';
import type { FreezeSpec } from '../../src/models/groups.js';
import type { RunEvent } from '../../src/events/run-events.js';
import { createRng } from '../../src/util/rng.js';
import { LOOP_START } from '../../src/train/trainer.js';

await tf.setBackend('cpu');

test('continueEvents counts a stage\'s epochs, steps and images on from the stages before it', () => {
  const seen: RunEvent[] = [];
  const sink = continueEvents((e) => seen.push(e), { epochs: 2, steps: 6, images: 48 }, { epochs: 5, steps: 15, images: 120 });
  sink({ type: 'EpochStarted', epoch: 1, epochs: 3 });
  sink({ type: 'OptimizerStepped', step: 2, totalSteps: 9, imagesSeen: 16, totalImages: 72, loss: 1, accuracy: 0.5, imagesPerSecond: 10, lr: 0.1 });
  sink({ type: 'EpochEnded', epoch: 1, loss: 1, accuracy: 0.5, images: 24, seconds: 1, imagesPerSecond: 24 });
  sink({ type: 'RunWarning', message: 'x' });
  assert.deepEqual(seen, [
    { type: 'EpochStarted', epoch: 3, epochs: 5 },
    { type: 'OptimizerStepped', step: 8, totalSteps: 15, imagesSeen: 64, totalImages: 120, loss: 1, accuracy: 0.5, imagesPerSecond: 10, lr: 0.1 },
    { type: 'EpochEnded', epoch: 3, loss: 1, accuracy: 0.5, images: 24, seconds: 1, imagesPerSecond: 24 },
    { type: 'RunWarning', message: 'x' },
  ]);
});

const spec: ResNetSpec = {
  family: 'resnet', inputShape: [8, 8, 3], stem: { channels: 4, kernel: 3, stride: 1, maxPool: false },
  stages: [{ channels: 4, blocks: 1, stride: 1 }], numClasses: 2,
};
const manifest = { inputShape: spec.inputShape, preprocessing: PIXELS_0_1, classes: ['a', 'b'], output: 'logits' as const };
const rng = createRng(3);
const batches = Array.from({ length: 2 }, () => ({ x: Float32Array.from({ length: 4 * 192 }, () => 255 * rng.next()), y: Int32Array.from({ length: 4 }, () => rng.int(2)), n: 4 }));

function stagesOn(model: tf.LayersModel, specs: [FreezeSpec, number][], begun: string[]): StagePlan[] {
  return specs.map(([freeze, epochs]) => ({
    epochs,
    begin: async () => {
      const s = applyStrategy(model, modelGroups(model), { freeze, bnStats: 'update', bnAffine: 'train' });
      begun.push(s.trainableGroups.join(','));
      return { variables: s.variables, optimizer: optimizerFor('sgd', 0.01), schedule: constantLr(0.01) };
    },
  }));
}

test('stages run in order through one event stream; afterEpoch sees the run\'s epoch numbers', async () => {
  const model = buildArchitecture(spec);
  const begun: string[] = [];
  const events: RunEvent[] = [];
  const judged: number[] = [];
  const summary = await runStages(stagesOn(model, [[{ kind: 'backbone' }, 1], [{ kind: 'none' }, 2]], begun), {
    model, manifest, source: async function* () { yield* batches; }, imagesPerEpoch: 8, batchSize: 4, emit: (e) => events.push(e),
    afterEpoch: async (epoch) => { judged.push(epoch); },
  });
  assert.deepEqual(begun, ['head', 'stem,block1,head']);
  assert.deepEqual(judged, [1, 2, 3]);
  assert.deepEqual(events.flatMap((e) => (e.type === 'EpochStarted' ? [[e.epoch, e.epochs]] : [])), [[1, 3], [2, 3], [3, 3]]);
  assert.deepEqual(events.flatMap((e) => (e.type === 'OptimizerStepped' ? [[e.step, e.totalSteps, e.imagesSeen]] : [])),
    [[1, 6, 4], [2, 6, 8], [3, 6, 12], [4, 6, 16], [5, 6, 20], [6, 6, 24]]);
  assert.deepEqual({ steps: summary.steps, images: summary.images, epochs: summary.epochs, stoppedEarly: summary.stoppedEarly }, { steps: 6, images: 24, epochs: 3, stoppedEarly: false });
  model.dispose();
});

test('a stop after the first stage\'s epoch ends the run: the next stage never begins', async () => {
  const model = buildArchitecture(spec);
  const begun: string[] = [];
  const summary = await runStages(stagesOn(model, [[{ kind: 'backbone' }, 2], [{ kind: 'none' }, 2]], begun), {
    model, manifest, source: async function* () { yield* batches; }, imagesPerEpoch: 8, batchSize: 4, emit: () => {},
    afterEpoch: async (epoch) => ({ stop: epoch === 1 }),
  });
  assert.deepEqual(begun, ['head']);
  assert.deepEqual({ steps: summary.steps, epochs: summary.epochs, stoppedEarly: summary.stoppedEarly }, { steps: 2, epochs: 1, stoppedEarly: true });
  model.dispose();
});

test('each epoch of the run draws its own pass; a resumed run begins no earlier stage and counts on from its checkpoint', async () => {
  const model = buildArchitecture(spec);
  const run = async (resume?: StagedPosition) => {
    const begun: string[] = [];
    const passes: number[] = [];
    const judged: number[] = [];
    const events: RunEvent[] = [];
    const summary = await runStages(stagesOn(model, [[{ kind: 'backbone' }, 1], [{ kind: 'none' }, 2]], begun), {
      model, manifest, imagesPerEpoch: 8, batchSize: 4, emit: (e) => events.push(e), resume,
      source: async function* (epoch) { passes.push(epoch); yield* batches; },
      afterEpoch: async (epoch) => { judged.push(epoch); },
    });
    const stepped = events.flatMap((e) => (e.type === 'OptimizerStepped' ? [e.step] : []));
    return { begun, passes, judged, stepped, summary: { epochs: summary.epochs, steps: summary.steps, images: summary.images, seconds: summary.seconds } };
  };
  const whole = await run();
  assert.deepEqual({ ...whole, summary: { ...whole.summary, seconds: 0 } }, {
    begun: ['head', 'stem,block1,head'], passes: [1, 2, 3], judged: [1, 2, 3], stepped: [1, 2, 3, 4, 5, 6], summary: { epochs: 3, steps: 6, images: 24, seconds: 0 },
  });
  // Stage 2's first epoch has ended: the checkpoint's position is its second epoch, at its start.
  const resume: StagedPosition = { stage: 1, before: { epochs: 1, steps: 2, images: 8, seconds: 5 }, at: { ...LOOP_START, epoch: 2, steps: 2, images: 8, loss: 1, trainAccuracy: 0.5 } };
  const resumed = await run(resume);
  assert.ok(resumed.summary.seconds > 5, `the stages before count their seconds: ${resumed.summary.seconds}`);
  assert.deepEqual({ ...resumed, summary: { ...resumed.summary, seconds: 0 } }, {
    begun: ['stem,block1,head'], passes: [3], judged: [3], stepped: [5, 6], summary: { epochs: 3, steps: 6, images: 24, seconds: 0 },
  });
  model.dispose();
});
