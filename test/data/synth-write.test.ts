import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { InputError } from '../../src/errors.js';
import { SYNTH_DEFAULTS } from '../../src/data/synth/defaults.js';
import { DOMAIN_IDS } from '../../src/data/synth/domains.js';
import { renderDigit } from '../../src/data/synth/render.js';
import { synthesizeDataset } from '../../src/data/synth/write-dataset.js';
import { createRng } from '../../src/util/rng.js';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'calibra-synth-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const isOneLineInputError = (fragment: string) => (error: unknown) =>
  error instanceof InputError && error.message.includes(fragment) && !error.message.includes('\n');

describe('synthesizeDataset', () => {
  it('writes out/0..9 of readable PNGs of the requested size and reports a summary', async () => {
    const out = join(root, 'colored');
    const progress: number[] = [];
    const summary = await synthesizeDataset({
      domain: 'colored',
      out,
      perClass: 3,
      size: 24,
      seed: 7,
      onProgress: (done, total) => {
        assert.equal(total, 30);
        progress.push(done);
      },
    });
    assert.deepEqual(summary, { domain: 'colored', out, n: 30, perClass: 3, size: 24, seed: 7 });
    assert.deepEqual(progress, Array.from({ length: 30 }, (_, i) => i + 1));
    assert.deepEqual((await readdir(out)).sort(), ['.calibra-dataset.json', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    for (let c = 0; c < 10; c++) {
      const files = (await readdir(join(out, String(c)))).sort();
      assert.deepEqual(files, ['0.png', '1.png', '2.png']);
      for (const f of files) {
        const meta = await sharp(join(out, String(c), f)).metadata();
        assert.equal(meta.format, 'png');
        assert.equal(meta.width, 24);
        assert.equal(meta.height, 24);
        assert.equal(meta.channels, 3);
      }
    }
    assert.deepEqual(
      (await readdir(root)).filter((name) => name.startsWith('.')),
      [],
      'no temporary folder left behind',
    );
  });

  it('stores exactly what renderDigit draws, in (index, class) order from the seed', async () => {
    const out = join(root, 'exact');
    await synthesizeDataset({ domain: 'textured', out, perClass: 2, size: 16, seed: 3 });
    const rng = createRng(3);
    for (let i = 0; i < 2; i++) {
      for (let c = 0; c < 10; c++) {
        const expected = renderDigit('textured', c, rng, 16);
        const { data } = await sharp(join(out, String(c), `${i}.png`)).raw().toBuffer({ resolveWithObject: true });
        assert.deepEqual(new Uint8Array(data), expected, `${c}/${i}.png`);
      }
    }
  });

  it('uses the defaults: size 32, 100 per class, seed 0', async () => {
    assert.deepEqual(SYNTH_DEFAULTS, { size: 32, perClass: 100, seed: 0 });
    const summary = await synthesizeDataset({ domain: 'clean', out: join(root, 'defaults'), perClass: 1 });
    assert.equal(summary.size, 32);
    assert.equal(summary.seed, 0);
  });

  it('fills an existing empty folder', async () => {
    const out = join(root, 'empty');
    await mkdir(out);
    const summary = await synthesizeDataset({ domain: 'inverted', out, perClass: 1, size: 16 });
    assert.equal(summary.n, 10);
    assert.equal((await readdir(out)).length, 11, 'ten class folders and the marker');
  });

  it('refuses a non-empty output folder and leaves it as it was', async () => {
    const out = join(root, 'occupied');
    await mkdir(out);
    await writeFile(join(out, 'keep.txt'), 'mine');
    await assert.rejects(
      synthesizeDataset({ domain: 'clean', out, perClass: 1, size: 16 }),
      isOneLineInputError(out),
    );
    assert.deepEqual(await readdir(out), ['keep.txt']);
    assert.deepEqual(
      (await readdir(root)).filter((name) => name.startsWith('.')),
      [],
    );
  });

  it('refuses an output path that is a file', async () => {
    const out = join(root, 'a-file');
    await writeFile(out, '');
    await assert.rejects(synthesizeDataset({ domain: 'clean', out, perClass: 1 }), isOneLineInputError(out));
  });

  it('names the valid domains when given an unknown one, and writes nothing', async () => {
    const out = join(root, 'never');
    await assert.rejects(
      synthesizeDataset({ domain: 'vaporwave', out, perClass: 1 }),
      (error: unknown) =>
        isOneLineInputError('vaporwave')(error) && DOMAIN_IDS.every((id) => (error as Error).message.includes(id)),
    );
    assert.ok(!(await readdir(root)).includes('never'));
  });

  it('rejects bad counts and sizes as input errors', async () => {
    const out = join(root, 'bad');
    await assert.rejects(synthesizeDataset({ domain: 'clean', out, perClass: 0 }), isOneLineInputError('per-class'));
    await assert.rejects(synthesizeDataset({ domain: 'clean', out, size: 2.5 }), isOneLineInputError('size'));
    await assert.rejects(synthesizeDataset({ domain: 'clean', out, seed: -1 }), isOneLineInputError('seed'));
  });
});

it('overwrite swaps a set it wrote for the new one, all at once, and refuses one holding other files', async () => {
  const { mkdtemp, readdir, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const out = join(await mkdtemp(join(tmpdir(), 'calibra-replace-')), 'set');
  const { synthesizeDataset } = await import('../../src/data/synth/write-dataset.js');
  await synthesizeDataset({ domain: 'clean', out, perClass: 2, seed: 1 });
  const summary = await synthesizeDataset({ domain: 'inverted', out, perClass: 1, seed: 2, overwrite: true });
  assert.equal(summary.n, 10);
  assert.deepEqual((await readdir(out)).sort(), ['.calibra-dataset.json', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(await readdir(join(out, '0')), ['0.png']);
  await writeFile(join(out, 'notes.txt'), 'mine');
  await assert.rejects(synthesizeDataset({ domain: 'clean', out, perClass: 1, seed: 3, overwrite: true }), /notes\.txt, which Calibra did not write/);
  assert.deepEqual(await readdir(join(out, '0')), ['0.png']);
  assert.deepEqual((await readdir(join(out, '..'))).filter((n) => n.startsWith('.')), [], 'no temp folders left');
});
