// The `recalibrate:` workflow step is validated by the same schema as the CLI flags.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseStep } from '../../src/workflows/schema.js';

const issuePath = (raw: unknown): unknown => {
  const r = parseStep(raw);
  return 'path' in r ? r.path : null;
};

test('a recalibrate step gets its defaults; a bad mode or an unknown field is reported at its path', () => {
  const step = parseStep({ name: 'adabn', recalibrate: { model: 'digits-resnet', images: 'target', out: 'out', groups: ['stem'] } });
  assert.deepEqual(step, { kind: 'recalibrate', name: 'adabn', options: { model: 'digits-resnet', images: 'target', out: 'out', groups: ['stem'], mode: 'exact', batch: 32, minImages: 32, overwrite: false, trustWeights: false } });
  assert.deepEqual(issuePath({ recalibrate: { model: 'm', images: 'i', out: 'o', mode: 'slow' } }), ['recalibrate', 'mode']);
  assert.deepEqual(issuePath({ recalibrate: { model: 'm', images: 'i', out: 'o', minImage: 3 } }), ['recalibrate']);
  assert.equal(issuePath({ train: { model: 'm', data: 'd', out: 'o', bnStats: 'reset' } }), null);
});
