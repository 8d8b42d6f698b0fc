// Load any tfjs layers model (model.json or its folder, a zoo id) with a manifest, and save
// models atomically with theirs.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { tf } from '../engine/tf.js';
import { InputError } from '../errors.js';
import { writeDirAtomically, writeFileDurably } from '../util/atomic.js';
import { recoverBeside } from '../util/interrupted-writes.js';
import { checkOutput, type OutputRules } from '../util/output-guard.js';
import { killPoint } from '../util/kill-point.js';
import { describeLayers, leafLayers } from './layer-walk.js';
import { buildManifest } from './manifest-builder.js';
import { printable, readJson, readWeights, requireModelJson } from './model-files.js';
// Loaded models' ReLU layers are Calibra's (one Relu6 kernel for maxValue 6), as are their
// Activation layers (both pass their input through after a fused BN layer).
import './layers/relu-layer.js';
import './layers/activation-layer.js';
import './layers/conv2d-layer.js';
import { fuseBatchNormActivations } from './bn-activation-fusion.js';
import { manifestSchema, type Manifest } from './manifest.js';
import { recogniseArchitecture } from './architecture.js';
import { inferPreprocessing } from './preprocessing.js';
import { registeredModelJson, zooModelDir } from './zoo.js';

export interface LoadedModel {
  model: tf.LayersModel;
  manifest: Manifest;
  /** The model.json it came from. */
  path: string;
}

/** Recovers interrupted saves around a model reference and finds its model.json. */
export async function locateModel(ref: string, log?: (line: string) => void): Promise<string> {
  const abs = resolve(ref);
  // A reference to a model.json sits inside the folder that a save swaps.
  await recoverBeside(abs.endsWith('.json') ? dirname(abs) : abs, log);
  return resolveModelJson(ref);
}

export async function resolveModelJson(ref: string): Promise<string> {
  const candidates = [resolve(ref), zooModelDir(ref)].filter((p): p is string => p !== null);
  for (const p of candidates) {
    const info = await stat(p).catch(() => null);
    if (info?.isDirectory() && existsSync(join(p, 'model.json'))) return join(p, 'model.json');
    if (info?.isFile()) return p;
  }
  const registered = await registeredModelJson(ref);
  if (registered !== null) return registered;
  throw new InputError(`--model ${ref}: not a zoo id (see 'calibra models') nor a model.json or its folder`);
}

export function contentHash(topology: object, weights: ArrayBuffer): string {
  return createHash('sha256').update(JSON.stringify(topology)).update(new Uint8Array(weights)).digest('hex').slice(0, 16);
}

export interface LoadOptions {
  /** Load even when the weights do not match the manifest's content hash. */
  trustWeights?: boolean;
  /** Where to report interrupted saves recovered beside the model. */
  log?: (line: string) => void;
}

export async function loadModel(ref: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const path = await locateModel(ref, options.log);
  const dir = dirname(path);
  const json = requireModelJson(await readJson(path), path);
  const weightData = await readWeights(json, path);
  const weightBuffer = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer;
  const manifestPath = join(dir, 'manifest.json');
  const hash = contentHash(json.modelTopology, weightBuffer);
  const stated = existsSync(manifestPath) ? parseManifest(await readJson(manifestPath), manifestPath) : null;
  if (stated !== null && stated.contentHash !== '' && stated.contentHash !== hash && !options.trustWeights) {
    const files = json.weightsManifest.flatMap((g) => g.paths).map((p) => join(dir, p)).join(', ');
    throw new InputError(`${files}: content hash ${hash} does not match ${stated.contentHash} in ${manifestPath}; the weights or model.json changed since they were saved (--trust-weights loads them anyway)`);
  }
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: weightBuffer }));
  } catch (err) {
    throw new InputError(`${path}: cannot build the model (${printable((err as Error).message)})`);
  }
  fuseBatchNormActivations(model);
  const manifest = stated ?? await deriveManifest(model, dir, hash);
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
    ...buildManifest(model, {
      id: basename(dir) || 'model',
      description: 'imported tfjs layers model',
      architecture: arch ? { recognised: arch } : null,
      inputShape: shape as [number, number, number],
      preprocessing,
      preprocessingSource: source,
      classes,
      output: outputKind(model),
      augment: { flip: true, cropScale: [0.35, 1] },
      recipe: {},
      bnStatistics: 'original',
      lineage: { parent: null, dataset: null },
    }),
    contentHash: hash,
  };
}

/**
 * Writes model.json, weights.bin and manifest.json into `outDir`, replacing it only when complete.
 * With `rules`, the output check runs once more just before the swap.
 */
export async function saveModel(model: tf.LayersModel, manifest: Omit<Manifest, 'contentHash'>, outDir: string, rules?: OutputRules): Promise<Manifest> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const topology = artifacts!.modelTopology as object;
  const weightData = artifacts!.weightData as ArrayBuffer;
  // Where the preprocessing came from is a fact about one load; on disk the manifest is the source.
  const { preprocessingSource: _source, resizeSource: _resizeSource, ...kept } = manifest;
  const full: Manifest = { ...kept, contentHash: contentHash(topology, weightData) };
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: 'calibra',
    modelTopology: topology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts!.weightSpecs }],
  };
  await writeDirAtomically(outDir, async (dir) => {
    await writeFileDurably(join(dir, 'model.json'), JSON.stringify(modelJson));
    killPoint('save:filling');
    await writeFileDurably(join(dir, 'weights.bin'), new Uint8Array(weightData));
    await writeFileDurably(join(dir, 'manifest.json'), JSON.stringify(full, null, 2) + '\n');
  }, { beforeSwap: rules && (async () => void (await checkOutput(outDir, rules))) });
  return full;
}
