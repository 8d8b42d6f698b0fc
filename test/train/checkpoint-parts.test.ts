// The parts of a checkpoint, each alone: the tensor blob, the optimizer's state, the position a
// pass resumes from, and the checks that refuse a resume on changed inputs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/engine/tf.js';
import { packTensors, unpackTensors } from '../../src/train/tensor-pack.js';
import { Adam, Momentum, type StepOptimizer } from '../../src/train/optimizers.js';
import { streamBatches, type Batch } from '../../src/data/batches.js';
import { BadFileReport } from '../../src/data/bad-files.js';
import type { ImageLoader } from '../../src/data/load-image.js';
import { checkResume, optionsToKeep } from '../../src/workflows/steps/train-resume.js';
import { trainStepSchema } from '../../src/workflows/schema.js';
import type { TrainCheckpoint } from '../../src/train/checkpoint.js';
import { LOOP_START } from '../../src/train/trainer.js';
import { createRng } from '../../src/util/rng.js';

await tf.setBackend('cpu');

test('packed tensors come back with their names, shapes, types and values', () => {
  const tensors = [
    { name: 'a', shape: [2, 3], dtype: 'float32' as const, values: Float32Array.from([1, -2, 3.5, 0, 1e-8, 7]) },
    { name: 'b', shape: [], dtype: 'int32' as const, values: Int32Array.from([-42]) },
    { name: 'c', shape: [0], dtype: 'float32' as const, values: new Float32Array(0) },
  ];
  const { index, data } = packTensors(tensors);
  assert.equal(data.byteLength, 7 * 4);
  assert.deepEqual(index.map((e) => e.offset), [0, 24, 28]);
  assert.deepEqual(unpackTensors(index, data), tensors);
  assert.throws(() => unpackTensors([{ ...index[0]!, shape: [3, 3] }], data), /a: bytes 0\.\.36 lie outside the 28 stored/);
  assert.throws(() => packTensors([{ ...tensors[0]!, shape: [4] }]), /a: 6 values for shape \[4\]/);
});

/** Five steps straight, against two steps, a state handed to a fresh optimizer, and three more. */
function splitRunGap(make: () => StepOptimizer): number {
  const rng = createRng(3);
  const init = Float32Array.from({ length: 11 }, () => rng.normal());
  const grads = Array.from({ length: 5 }, () => Float32Array.from({ length: 11 }, () => rng.normal()));
  const run = (split: boolean) => {
    const v = tf.tidy(() => tf.variable(tf.tensor1d(init), true, `w-${Math.random()}`));
    let opt = make();
    grads.forEach((g, i) => {
      if (split && i === 2) {
        const state = opt.state();
        const carried = { updates: state.updates, slots: new Map([...state.slots].map(([k, ts]) => [k, ts.map((t) => tf.tensor(t.dataSync(), t.shape))])) };
        opt.dispose();
        opt = make();
        opt.restore(carried);
        for (const ts of carried.slots.values()) tf.dispose(ts);
      }
      tf.tidy(() => opt.applyGradients({ [v.name]: tf.tensor1d(g) }));
    });
    const out = v.dataSync().slice();
    opt.dispose();
    v.dispose();
    return out;
  };
  const [straight, split] = [run(false), run(true)];
  return Math.max(...straight.map((x, i) => Math.abs(x - split[i]!)));
}

test('an optimizer restored from its state continues as if never stopped; without it, it would not', () => {
  const before = tf.memory().numTensors;
  assert.equal(splitRunGap(() => new Adam(0.05)), 0);
  assert.equal(splitRunGap(() => new Momentum(0.05, { momentum: 0.9, nesterov: true })), 0);
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  // The comparison can tell: Adam restarted from nothing (step count and moments lost) lands elsewhere.
  const fresh = splitRunGap(() => {
    const adam = new Adam(0.05);
    adam.restore = () => {};
    return adam;
  });
  assert.ok(fresh > 1e-3, `gap ${fresh}`);
});

test('a pass started at a batch end yields the batches that followed it, bad files passed over included', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'calibra-position-'));
  const names = ['a', 'b', 'bad1', 'c', 'bad2', 'd', 'e'];
  for (const n of names) await writeFile(join(dir, n), n);
  // Each file's pixels are its name's first byte; a 'bad' name fails to decode.
  const loader = {
    height: 1, width: 1,
    load: async (path: string) => (path.includes('bad') ? { ok: false as const, reason: 'broken' } : { ok: true as const, pixels: Uint8Array.from([path.charCodeAt(path.length - 1), 0, 0]) }),
  } as unknown as ImageLoader;
  const items = names.map((n, label) => ({ path: join(dir, n), label }));
  const args = { batchSize: 2, loader, shuffle: true, seed: 7, epoch: 3 };
  const collect = async (start?: number) => {
    const out: Batch[] = [];
    for await (const b of streamBatches(items, { ...args, start, badFiles: new BadFileReport() })) out.push(b);
    return out;
  };
  const whole = await collect();
  assert.deepEqual(whole.map((b) => b.n), [2, 2, 1]);
  assert.equal(whole[whole.length - 1]!.end, items.length);
  for (const [i, b] of whole.entries()) {
    const rest = await collect(b.end);
    assert.deepEqual(rest.map((r) => Array.from(r.y)), whole.slice(i + 1).map((r) => Array.from(r.y)), `from the end of batch ${i}`);
  }
  assert.ok(whole.some((b, i) => b.end !== 2 * (i + 1)), 'some batch ends beyond its image count, so positions are not image counts');
  await assert.rejects(streamBatches(items, { ...args, start: 8, badFiles: new BadFileReport() }).next(), /start must be within 0\.\.7, got 8/);
});

const checkpoint = (): TrainCheckpoint => ({
  runId: 'r1', options: { epochs: 2, data: '/d' }, parent: { model: '/m/model.json', contentHash: 'aaa' }, dataset: 'ddd',
  stage: { index: 0, before: { epochs: 0, steps: 0, images: 0, seconds: 0 } }, at: LOOP_START, valHistory: [], skipped: [], weights: [], optimizer: { updates: 0, slots: [] }, monitor: null, best: null,
});

test('a resume with other options, another parent model or other data is refused, naming what changed', () => {
  const same = { options: { data: '/d', epochs: 2 }, parentHash: 'aaa', dataset: 'ddd' };
  assert.doesNotThrow(() => checkResume(checkpoint(), same));
  assert.throws(() => checkResume(checkpoint(), { ...same, options: { data: '/d', epochs: 3 } }), /resume r1: option 'epochs' is 3, the run had 2/);
  assert.throws(() => checkResume(checkpoint(), { ...same, options: { data: '/d', epochs: 2, lr: 0.1 } }), /option 'lr' is 0\.1, the run had undefined/);
  assert.throws(() => checkResume(checkpoint(), { ...same, parentHash: 'bbb' }), /the parent model \/m\/model\.json changed since the run began \(content hash aaa, now bbb\)/);
  assert.throws(() => checkResume(checkpoint(), { ...same, dataset: 'eee' }), /the training images changed/);
});

test('a staged run\'s kept options read back as the same step, as `runs resume` reads them', () => {
  const step = trainStepSchema.parse({ model: 'm', data: 'd', out: 'o', stages: [{ freeze: 'backbone', epochs: 1 }, { freeze: 'none', epochs: 2, lr: 0.001 }] });
  const kept = optionsToKeep(step, '/m/model.json', '/o');
  const again = trainStepSchema.parse({ ...kept, resume: 'r1' });
  assert.deepEqual([again.epochs, again.freeze, again.stages], [3, 'backbone', step.stages]);
  assert.deepEqual(optionsToKeep(again, '/m/model.json', '/o'), kept, 'the resumed run keeps what the run kept');
  const plain = optionsToKeep(trainStepSchema.parse({ model: 'm', data: 'd', out: 'o', epochs: 2, freeze: 'backbone' }), '/m/model.json', '/o');
  assert.deepEqual([plain.epochs, plain.freeze], [2, 'backbone']);
});
