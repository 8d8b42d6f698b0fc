// Every flag mistake is exit 2 and one `calibra:` line that names the flag and says what is
// wrong: negative numbers included (node's parseArgs used to call them "ambiguous"), flags that
// contradict each other, and values only the loaded model can judge.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BACKENDS } from '../../src/engine/backend.js';
import { DOMAIN_IDS } from '../../src/data/synth/index.js';
import { calibra } from '../helpers/cli.js';
import { makeTempDir } from '../data/fixtures.js';
import { inputError, synthFolder } from './input-fixtures.js';

let dir: string;
let remove: () => Promise<void>;

before(async () => {
  ({ dir, remove } = await makeTempDir());
});
after(() => remove());

const TRAIN = ['train', '--model', 'digits-resnet', '--data', '/nonexistent/data', '--out', '/nonexistent/out'];
const EVAL = ['eval', '--model', 'digits-resnet', '--data', '/nonexistent/data'];
const SYNTH = ['data', 'synth', '--domain', 'clean', '--out', '/nonexistent/out'];

/** Each numeric flag with a floor, given a negative number, and the floor it names. */
const NEGATIVES: [args: string[], flag: string, value: string, floor: string][] = [
  [TRAIN, '--epochs', '-2', '1'],
  [TRAIN, '--steps', '-1', '1'],
  [TRAIN, '--batch', '-3', '1'],
  [TRAIN, '--accum', '-2', '1'],
  [TRAIN, '--lr', '-0.01', '0'],
  [TRAIN, '--val-split', '-.2', '0'],
  [TRAIN, '--bn-momentum', '-0.9', '0'],
  [TRAIN, '--seed', '-3', '0'],
  [EVAL, '--batch', '-3', '1'],
  [SYNTH, '--per-class', '-5', '1'],
  [SYNTH, '--size', '-32', '8'],
  [SYNTH, '--seed', '-1', '0'],
  [['bench'], '--seconds', '-1', '0.5'],
  [['bench'], '--repeat', '-2', '1'],
];

test('a negative number for a flag with a floor names the flag and the floor', async () => {
  for (const [args, flag, value, floor] of NEGATIVES) {
    const line = inputError(await calibra([...args, flag, value]));
    assert.equal(line, `calibra: ${flag} ${value}: must be at least ${floor}`);
  }
});

test('--epochs and --steps together are a conflict, named as one', async () => {
  const line = inputError(await calibra([...TRAIN, '--epochs', '2', '--steps', '1']));
  assert.equal(line, 'calibra: --epochs 2 --steps 1: conflicting flags, give one: --epochs counts passes over --data, --steps optimizer steps');
  const help = await calibra(['train', '--help']);
  assert.match(help.stdout, /giving\s+both --epochs and --steps is an error/);
});

test('--freeze last:N beyond the model\'s groups names the groups, before any training', async () => {
  const data = await synthFolder(join(dir, 'digits'));
  const out = join(dir, 'frozen');
  const r = await calibra(['train', '--model', 'digits-resnet', '--data', data, '--out', out, '--freeze', 'last:99', '--steps', '1', '--batch', '2']);
  assert.equal(inputError(r), 'calibra: --freeze last:99: the model has 5 layer groups (stem, block1, block2, block3, head), so N is at most 5');
  assert.doesNotMatch(r.stderr, /step 1\/1/);
  const all = await calibra(['train', '--model', 'digits-resnet', '--data', data, '--out', out, '--freeze', 'last:5', '--steps', '1', '--batch', '2', '--json']);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(all.json!.trainable_groups, ['stem', 'block1', 'block2', 'block3', 'head']);
});

test('an unknown CALIBRA_BACKEND is named as the assignment, without a stray space', async () => {
  const line = inputError(await calibra(EVAL, { CALIBRA_BACKEND: 'bogus' }));
  assert.equal(line, `calibra: CALIBRA_BACKEND=bogus: unknown backend (choose from ${BACKENDS.join(', ')})`);
});

test('an unknown synthetic domain names --domain and the choices', async () => {
  const line = inputError(await calibra(['data', 'synth', '--domain', 'sepia', '--out', join(dir, 'sepia')]));
  assert.equal(line, `calibra: --domain sepia: unknown domain (choose from ${DOMAIN_IDS.join(', ')})`);
});
