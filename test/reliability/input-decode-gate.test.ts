// The gate that lets a failed decode run alone: shared work overlaps, exclusive work overlaps
// nothing, and an exclusive waiter is not starved by shared work arriving after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeGate } from '../../src/data/decode-gate.js';

/** A task that records when it starts and ends, and finishes when told. */
function task(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    finish,
    run: async () => {
      log.push(`${name}+`);
      await done;
      log.push(`${name}-`);
      return name;
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('shared tasks overlap; an exclusive one waits for them, and later shared ones wait for it', async () => {
  const gate = new DecodeGate();
  const log: string[] = [];
  const [a, b, x, c] = ['a', 'b', 'x', 'c'].map((n) => task(log, n));
  const pa = gate.shared(a!.run);
  const pb = gate.shared(b!.run);
  const px = gate.exclusive(x!.run);
  const pc = gate.shared(c!.run);
  await tick();
  assert.deepEqual(log, ['a+', 'b+'], 'a and b run together; x waits for them, c waits behind x');
  a!.finish();
  await tick();
  assert.deepEqual(log, ['a+', 'b+', 'a-'], 'x still waits for b');
  b!.finish();
  await tick();
  assert.deepEqual(log, ['a+', 'b+', 'a-', 'b-', 'x+'], 'x runs alone');
  x!.finish();
  c!.finish();
  assert.deepEqual(await Promise.all([pa, pb, px, pc]), ['a', 'b', 'x', 'c']);
  assert.deepEqual(log, ['a+', 'b+', 'a-', 'b-', 'x+', 'x-', 'c+', 'c-']);
});

test('a task that throws still lets the next one in', async () => {
  const gate = new DecodeGate();
  await assert.rejects(gate.exclusive(async () => { throw new Error('decode failed'); }), /decode failed/);
  await assert.rejects(gate.shared(async () => { throw new Error('again'); }), /again/);
  assert.equal(await gate.exclusive(async () => 7), 7);
});
