// Load any tfjs layers model (model.json or its folder, a zoo id) with a manifest, and save
// models atomically with theirs.
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tf } from '../engine/tf.js';
import { isBatchNorm } from '../bn/batch-norm-layer.js';
import { InputError } from '../errors.js';
import { writeDirAtomically } from '../util/atomic.js';
import { groupLayers, type LayerGroup } from './groups.js';
import { describeLayers, leafLayers } from './layer-walk.js';
// Loaded models' ReLU layers are Calibra's (one Relu6 kernel for maxValue 6).
import './layers/relu-layer.js';
import { manifestSchema, type Manifest } from './manifest.js';
import { recogniseArchitecture } from './architecture.js';
import { inferPreprocessing } from './preprocessing.js';
import { zooModelDir } from './zoo.js';

export interface LoadedModel {
  model: tf.LayersModel;
  manifest: Manifest;
  /** The model.json it came from. */
  path: string;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(`${path}: cannot read`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${path}: not valid JSON (${(err as Error).message})`);
  }
}

export async function resolveModelJson(ref: string): Promise<string> {
  const candidates = [resolve(ref), zooModelDir(ref)].filter((p): p is string => p !== null);
  for (const p of candidates) {
    const info = await stat(p).catch(() => null);
    if (info?.isDirectory() && existsSync(join(p, 'model.json'))) return join(p, 'model.json');
    if (info?.isFile()) return p;
  }
  throw new InputError(`--model ${ref}: not a zoo id (see 'calibra models') nor a model.json or its folder`);
}

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export function contentHash(topology: object, weights: ArrayBuffer): string {
  return createHash('sha256').update(JSON.stringify(topology)).update(new Uint8Array(weights)).digest('hex').slice(0, 16);
}

export async function loadModel(ref: string): Promise<LoadedModel> {
  const path = await resolveModelJson(ref);
  const dir = dirname(path);
  const json = (await readJson(path)) as ModelJson;
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new InputError(`${path}: not a tfjs layers model (needs modelTopology and weightsManifest)`);
  }
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      const file = join(dir, p);
      buffers.push(await readFile(file).catch(() => { throw new InputError(`${file}: weight file missing (named in ${path})`); }));
    }
  }
  const weightData = Buffer.concat(buffers);
  const weightBuffer = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer;
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: weightBuffer }));
  } catch (err) {
    throw new InputError(`${path}: cannot build the model (${(err as Error).message})`);
  }
  const manifestPath = join(dir, 'manifest.json');
  const manifest = existsSync(manifestPath)
    ? parseManifest(await readJson(manifestPath), manifestPath)
    : await deriveManifest(model, dir, contentHash(json.modelTopology, weightBuffer));
  return { model, manifest, path };
}

function parseManifest(raw: unknown, path: string): Manifest {
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

export function modelGroups(model: tf.LayersModel): LayerGroup[] {
  return groupLayers(describeLayers(model));
}

export function countBatchNorm(model: tf.LayersModel): number {
  return leafLayers(model).filter(isBatchNorm).length;
}

export function outputKind(model: tf.LayersModel): 'logits' | 'probabilities' {
  const layers = leafLayers(model);
  const last = layers[layers.length - 1];
  const config = last?.getConfig() as { activation?: string } | undefined;
  return last?.getClassName() === 'Softmax' || config?.activation === 'softmax' ? 'probabilities' : 'logits';
}

/** A manifest for a model that came without one, from what the folder and the graph say. */
async function deriveManifest(model: tf.LayersModel, dir: string, hash: string): Promise<Manifest> {
  const shape = model.inputs[0]!.shape.slice(1);
  if (shape.length !== 3 || shape.some((d) => d == null)) {
    throw new InputError(`${join(dir, 'model.json')}: input shape ${JSON.stringify(shape)} is not a fixed [h, w, c] image`);
  }
  const outputs = (model.outputs[0]!.shape[model.outputs[0]!.shape.length - 1] ?? 0) as number;
  let classes = Array.from({ length: outputs }, (_, i) => String(i));
  let teachableMachine = false;
  const metadataPath = join(dir, 'metadata.json');
  const classesPath = join(dir, 'classes.json');
  if (existsSync(metadataPath)) {
    const meta = (await readJson(metadataPath)) as { labels?: unknown; tmVersion?: string };
    if (Array.isArray(meta.labels) && meta.labels.length === outputs) classes = meta.labels.map((l) => String(l).trim());
    teachableMachine = meta.tmVersion !== undefined;
  } else if (existsSync(classesPath)) {
    const raw = await readJson(classesPath);
    const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw as object) : [];
    if (list.length === outputs) classes = list.map((l) => String(l));
  }
  const arch = recogniseArchitecture(describeLayers(model));
  const { preprocessing, source } = inferPreprocessing(teachableMachine, arch);
  return {
    format: 'calibra-model',
    version: 1,
    id: dir.split('/').filter(Boolean).pop() ?? 'model',
    description: 'imported tfjs layers model',
    architecture: arch ? { recognised: arch } : null,
    inputShape: shape as [number, number, number],
    preprocessing,
    preprocessingSource: source,
    classes,
    output: outputKind(model),
    augment: { flip: true, cropScale: [0.35, 1] },
    groups: modelGroups(model),
    bnLayers: countBatchNorm(model),
    recipe: {},
    bnStatistics: 'original',
    lineage: { parent: null, dataset: null },
    contentHash: hash,
  };
}

/** Writes model.json, weights.bin and manifest.json into `outDir`, replacing it only when complete. */
export async function saveModel(model: tf.LayersModel, manifest: Omit<Manifest, 'contentHash'>, outDir: string): Promise<Manifest> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const topology = artifacts!.modelTopology as object;
  const weightData = artifacts!.weightData as ArrayBuffer;
  const full: Manifest = { ...manifest, contentHash: contentHash(topology, weightData) };
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: 'calibra',
    modelTopology: topology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts!.weightSpecs }],
  };
  await writeDirAtomically(outDir, async (dir) => {
    await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
    await writeFile(join(dir, 'weights.bin'), new Uint8Array(weightData));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(full, null, 2) + '\n');
  });
  return full;
}
