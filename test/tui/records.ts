// A stored run record for the UI's tests, finished unless told otherwise.
import type { RunRecord } from '../../src/store/run-record.js';

export const record = (over: Partial<RunRecord>): RunRecord => ({
  id: '20261201-140211-ab12', command: 'train', status: 'finished', startedAt: '2026-12-01T14:02:11.000Z', finishedAt: '2026-12-01T14:03:00.000Z', seconds: 49,
  backend: 'native', config: { model: 'digits-resnet', data: '/d/textured' }, epochs: [], result: { val_accuracy: 0.766 }, error: null,
  lineage: { parentModel: null, dataset: null, outputModel: null }, ...over,
});
