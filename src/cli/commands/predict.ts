import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { loadModel } from '../../models/model-io.js';
import { listImageFiles } from '../../data/image-files.js';
import { ImageLoader } from '../../data/load-image.js';
import { BadFileReport } from '../../data/bad-files.js';
import { streamBatches } from '../../data/batches.js';
import { predictBatches } from '../../train/predict.js';
import { restrictToClassMap } from '../../models/head.js';
import { manifestPreprocessingNote, withPreprocess } from '../../models/preprocessing.js';
import { PREDICT_OPTIONS } from '../../options/predict.js';
import { optionsObject } from '../../options/zod-object.js';
import { flagTable } from '../../options/flag-table.js';
import { flagValues } from '../../options/flag-values.js';
import { flagSections, helpRow } from '../../options/help-text.js';
import { stepOptions } from '../step-options.js';
import type { Command } from '../command.js';

async function expand(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => null);
    if (info === null) throw new InputError(`${p}: no such file or folder`);
    files.push(...(info.isDirectory() ? await listImageFiles(p) : [resolve(p)]));
  }
  return files;
}

const predictOptions = optionsObject(PREDICT_OPTIONS);

export const predictCommand: Command = {
  name: 'predict',
  summary: 'classify images: the top classes and their probabilities per file',
  usage: `Usage: calibra predict --model M PATH... [--top K] [--class-map NEW=OLD,…]
                       [--preprocess P] [--batch B] [--trust-weights] [--json]

Runs M in inference mode on each image file given, and on every image under each folder given
(nested folders too; labels are not needed). Unreadable files are skipped and listed.

${flagSections(PREDICT_OPTIONS)}
Result
${helpRow('--json', '{"predictions":[{"path","class","probability","top":[{"class","probability"}]}],…}')}`,
  options: flagTable(PREDICT_OPTIONS),
  positionals: true,
  async run(ctx) {
    const { model: modelRef, top, batch: batchSize, classMap, preprocess, trustWeights } = stepOptions(predictOptions, flagValues(PREDICT_OPTIONS, ctx.values));
    if (ctx.positionals.length === 0) throw new InputError('predict: give one or more image files or folders');
    const files = await expand(ctx.positionals);
    if (files.length === 0) throw new InputError(`predict: no images in ${ctx.positionals.join(', ')}`);
    const backend = await ctx.engine();
    const loaded = await loadModel(modelRef, { trustWeights });
    const { model, manifest } = await restrictToClassMap(loaded.model, withPreprocess(loaded.manifest, preprocess), classMap);
    ctx.log(manifestPreprocessingNote(manifest));
    const [h, w] = manifest.inputShape;
    const badFiles = new BadFileReport();
    const loader = new ImageLoader({ size: [h, w], mode: manifest.preprocessing.resize });
    const predictions = await predictBatches(model, manifest, streamBatches(files.map((path) => ({ path })), { batchSize, loader, badFiles }), top);
    model.dispose();
    const skipped = badFiles.list();
    if (predictions.length === 0) throw new InputError(`predict: none of the ${files.length} file(s) could be read (first: ${skipped[0]?.path}: ${skipped[0]?.reason})`);
    const pct = (p: number) => `${(100 * p).toFixed(1)}%`;
    const lines = predictions.map((p) => `${p.path}  ${p.top.map((t) => `${t.class} ${pct(t.probability)}`).join('  ')}`);
    if (skipped.length > 0) lines.push(`skipped ${skipped.length} unreadable file(s):`, ...skipped.map((s) => `  ${s.path}: ${s.reason}`));
    return { json: { predictions, skipped, model: manifest.id, backend: backend.name }, text: lines.join('\n') };
  },
};
