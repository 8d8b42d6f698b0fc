import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noisyMicroBatches, SMALL_BN_BATCH } from '../../src/bn/small-batch.js';

test('accumulated passes under 16 images with BN updating are noisy; any other case is not', () => {
  assert.equal(SMALL_BN_BATCH, 16);
  assert.equal(noisyMicroBatches({ batch: 8, accum: 4, bnUpdating: 3 }), true);
  assert.equal(noisyMicroBatches({ batch: 15, accum: 2, bnUpdating: 1 }), true);
  assert.equal(noisyMicroBatches({ batch: 16, accum: 4, bnUpdating: 3 }), false);
  assert.equal(noisyMicroBatches({ batch: 8, accum: 1, bnUpdating: 3 }), false);
  assert.equal(noisyMicroBatches({ batch: 8, accum: 4, bnUpdating: 0 }), false);
});
