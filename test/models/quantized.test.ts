// Models published with quantized weights (tfjs-converter's uint8 affine and float16) load and
// predict like their float32 original. The quantized copies are made here from the shipped model.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/engine/tf.js';
import { initEngine } from '../../src/engine/backend.js';
import { contentHash, loadModel } from '../../src/models/model-io.js';
import { PRETRAINED_DIR } from '../../src/models/zoo.js';
import { inputTensor } from '../../src/models/input-tensor.js';
import { synthesizeDataset } from '../../src/data/synth/index.js';
import { ImageLoader } from '../../src/data/load-image.js';
import { BadFileReport } from '../../src/data/bad-files.js';
import { streamBatches } from '../../src/data/batches.js';
import { listImageFiles } from '../../src/data/image-files.js';

await initEngine('cpu');
const source = join(PRETRAINED_DIR, 'digits-resnet');
const work = await mkdtemp(join(tmpdir(), 'calibra-quantized-'));

interface Spec { name: string; shape: number[]; dtype: string; quantization?: { dtype: string; min?: number; scale?: number } }

/** IEEE 754 half precision, round to nearest: what tfjs-converter writes for float16. */
function toHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  const mant = bits & 0x7fffff;
  if (exp <= 0) return sign | Math.round((mant | 0x800000) / 2 ** (14 - exp));
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | Math.round(mant / 8192);
}

/** A copy of the shipped model whose weights are stored as `dtype`, with a manifest hashed over them. */
async function quantizedCopy(dtype: 'uint8' | 'float16'): Promise<string> {
  const json = JSON.parse(await readFile(join(source, 'model.json'), 'utf8'));
  const manifest = JSON.parse(await readFile(join(source, 'manifest.json'), 'utf8'));
  const floats = new Float32Array((await readFile(join(source, 'weights.bin'))).buffer.slice(0));
  const specs = json.weightsManifest[0].weights as Spec[];
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const spec of specs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const values = floats.subarray(at, at + n);
    at += n;
    if (dtype === 'uint8') {
      const min = Math.min(...values);
      const scale = (Math.max(...values) - min) / 255 || 1;
      parts.push(Uint8Array.from(values, (v) => Math.round((v - min) / scale)));
      spec.quantization = { dtype, min, scale };
    } else {
      parts.push(new Uint8Array(Uint16Array.from(values, toHalf).buffer));
      spec.quantization = { dtype };
    }
  }
  const bytes = Buffer.concat(parts);
  const dir = join(work, dtype);
  await mkdir(dir);
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
  await writeFile(join(dir, 'weights.bin'), bytes);
  const hash = contentHash(json.modelTopology, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, contentHash: hash }));
  return dir;
}

async function logits(ref: string, files: string[]): Promise<Float32Array> {
  const { model, manifest } = await loadModel(ref);
  const loader = new ImageLoader({ size: [manifest.inputShape[0], manifest.inputShape[1]], mode: manifest.preprocessing.resize });
  const out: number[] = [];
  for await (const b of streamBatches(files.map((path) => ({ path })), { batchSize: 50, loader, badFiles: new BadFileReport() })) {
    out.push(...(tf.tidy(() => model.apply(inputTensor(b.x, b.n, manifest.inputShape, manifest.preprocessing)) as tf.Tensor).dataSync()));
  }
  model.dispose();
  return Float32Array.from(out);
}

const data = (await synthesizeDataset({ domain: 'clean', out: join(work, 'clean'), perClass: 5, seed: 3 })).out;
const files = await listImageFiles(data);
const reference = await logits(source, files);
const argmaxes = (l: Float32Array) => Array.from({ length: l.length / 10 }, (_, i) => { const row = Array.from(l.subarray(i * 10, i * 10 + 10)); return row.indexOf(Math.max(...row)); });

for (const [dtype, tolerance] of [['uint8', 0.03], ['float16', 0.01]] as const) {
  test(`${dtype}-quantized weights load, verify against their manifest's hash, and predict like the float32 model`, async () => {
    const dir = await quantizedCopy(dtype);
    const got = await logits(dir, files);
    const spread = Math.max(...reference) - Math.min(...reference);
    const worst = got.reduce((m, v, i) => Math.max(m, Math.abs(v - reference[i]!)), 0);
    assert.ok(worst < tolerance * spread, `${dtype}: worst logit difference ${worst} over a spread of ${spread}`);
    assert.ok(worst > 0, 'the copy really is quantized');
    const agree = argmaxes(got).filter((c, i) => c === argmaxes(reference)[i]).length;
    assert.ok(agree >= files.length - 1, `${dtype}: ${agree}/${files.length} predictions agree`);
  });
}
