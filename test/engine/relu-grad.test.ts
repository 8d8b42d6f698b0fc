import test from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/util/rng.js';
import { onBothBackends, randomValues, setUpBackends } from './wasm-vs-cpu.js';

await setUpBackends();

const SHAPE = [3, 4, 5, 6];

/** x straddling 0 and 6 with the boundary and non-finite values first; dy with non-finite and negative values first. */
function inputs(seed: number): { x: Float32Array; dy: Float32Array } {
  const rng = createRng(seed);
  const x = randomValues(rng, SHAPE).map((v) => 2 + 4 * v);
  const dy = randomValues(rng, SHAPE);
  x.set([0, -0, 6, NaN, Infinity, -Infinity, 5.999999523162842, 6.000000476837158, 0, 6, -1, 7]);
  dy.set([NaN, Infinity, -Infinity, 1, -Infinity, Infinity, 2, -3, -1, -2, -Infinity, Infinity]);
  return { x, dy };
}

// The kernel multiplies dy by a 0/1/NaN mask, as tfjs's composite gradients do, so the values
// must match to the bit: NaN for NaN x or infinite dy times 0, −0 for negative dy times 0.
for (const [name, f, seed] of [['Relu', tf.relu, 3301], ['Relu6', tf.relu6, 3302]] as const) {
  test(`the ${name} gradient on wasm is one kernel and equals cpu exactly`, async () => {
    const { x, dy } = inputs(seed);
    const gradient = (): tf.Tensor[] => [tf.grad((t: tf.Tensor) => f(t))(tf.tensor(x, SHAPE), tf.tensor(dy, SHAPE))];
    const { wasm, cpu } = await onBothBackends(gradient);
    assert.deepEqual(Array.from(wasm[0]!), Array.from(cpu[0]!));

    const kernelsOn = async (backend: string): Promise<string[]> => {
      await tf.setBackend(backend);
      const info = await tf.profile(() => tf.tidy(gradient));
      tf.dispose(info.result as tf.Tensor[]);
      return info.kernelNames;
    };
    const onWasm = await kernelsOn('wasm');
    assert.ok(onWasm.includes('CalibraReluGrad') && !onWasm.includes('Step'), 'wasm runs the one kernel');
    const onCpu = await kernelsOn('cpu');
    assert.ok(onCpu.includes('Step') && !onCpu.includes('CalibraReluGrad'), 'cpu keeps tfjs gradient');
    await tf.setBackend('wasm');
  });
}

test('an int32 Relu keeps tfjs gradient on wasm', async () => {
  await tf.setBackend('wasm');
  const info = await tf.profile(() => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.relu(t))(tf.tensor([-2, 0, 3], [3], 'int32'))));
  assert.deepEqual(Array.from((info.result as tf.Tensor).dataSync()), [0, 0, 1]);
  (info.result as tf.Tensor).dispose();
  assert.ok(!info.kernelNames.includes('CalibraReluGrad'));
});
