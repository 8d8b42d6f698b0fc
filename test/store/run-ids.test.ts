import test from 'node:test';
import assert from 'node:assert/strict';
import { matchRuns, shortIds } from '../../src/store/run-ids.js';
import type { RunRecord } from '../../src/store/run-record.js';

const run = (id: string): RunRecord => ({
  id, command: 'eval', status: 'finished', startedAt: '', finishedAt: '', seconds: 0, backend: 'wasm', config: {},
  epochs: [], result: null, error: null, lineage: { parentModel: null, dataset: null, outputModel: null },
});

test('a run goes by the end of its id, lengthened only as far as another run shares it', () => {
  const ids = ['20260315-142233-ab12', '20260315-150000-ab12', '20260315-160000-c0fe', '20260316-160000-c0fe', '20260316-170000-77aa', 'r1'];
  const short = shortIds(ids);
  assert.deepEqual(ids.map((id) => short.get(id)), ['3-ab12', '0-ab12', '5-160000-c0fe', '6-160000-c0fe', '77aa', 'r1']);
  for (const [id, s] of short) assert.deepEqual(ids.filter((other) => other.endsWith(s)), [id], `${s} names ${id} alone`);
  const sameSecondDigit = shortIds(['20260315-142233-ab12', '20260315-142243-ab12']);
  assert.deepEqual([...sameSecondDigit.values()], ['33-ab12', '43-ab12']);
});

test('a query names a run by its whole id, a prefix or an end of it', () => {
  const runs = ['20260315-142233-ab12', '20260315-150000-ab12', '20260316-090000-77aa'].map(run);
  const ids = (q: string) => matchRuns(runs, q).map((r) => r.id);
  assert.deepEqual(ids('77aa'), ['20260316-090000-77aa']);
  assert.deepEqual(ids('ab12'), ['20260315-142233-ab12', '20260315-150000-ab12']);
  assert.deepEqual(ids('150000-ab12'), ['20260315-150000-ab12']);
  assert.deepEqual(ids('20260315'), ['20260315-142233-ab12', '20260315-150000-ab12']);
  assert.deepEqual(ids('3-ab12'), ['20260315-142233-ab12']);
  assert.deepEqual(ids('0000'), []);
});
