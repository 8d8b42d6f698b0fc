import { resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { fanOut } from '../../events/run-events.js';
import { loadModel, modelGroups, saveModel, countBatchNorm } from '../../models/model-io.js';
import { replaceHead } from '../../models/head.js';
import { formatFreezeSpec, parseFreezeSpec } from '../../models/groups.js';
import type { Manifest } from '../../models/manifest.js';
import { requireTrainable } from '../../data/dataset.js';
import { feedFor, openLabelledFolder } from '../../train/data-feed.js';
import { applyStrategy } from '../../train/strategy.js';
import { optimizerFor, trainLoop } from '../../train/trainer.js';
import { constantLr } from '../../train/schedule.js';
import { evaluate } from '../../train/evaluate.js';
import { progressPrinter } from '../progress.js';
import { choice, flag, num, required, str } from '../flags.js';
import type { Command } from '../command.js';

export const trainCommand: Command = {
  name: 'train',
  summary: 'fine-tune a model on a labelled image folder and save the result',
  usage: `Usage: calibra train --model M --data DIR --out DIR [flags]

Fine-tunes M on DIR (one subfolder per class) and writes a loadable model to --out
(model.json + weights.bin + manifest.json, swapped in only when complete).
If DIR's classes differ from the model's, or --cut is given, the network is kept up to the
cut (default: its last global pooling layer) and gets a new dense head for DIR's classes.

Data
  --model M              zoo id or a tfjs model.json / its folder
  --data DIR             labelled training images
  --val DIR              labelled validation images, evaluated after each epoch
  --cut LAYER            keep the network up to LAYER and put a new head on it
Schedule
  --epochs N             passes over --data (default 1)
  --steps N              stop after N optimizer steps instead (overrides --epochs)
  --batch B              images per step (default 32)
  --lr X                 learning rate (default 0.001 for adam, 0.01 for sgd)
  --optimizer sgd|adam   sgd is SGD with momentum 0.9 (default adam)
Strategy
  --freeze none|backbone|last:N
                         which layer groups train: all, only the head, or the last N groups
                         counting the head (default none). Groups: stem, block1…blockN, head.
  --bn-stats freeze|update
                         BN statistics in the groups that train: keep the moving statistics,
                         or normalise with batch statistics and update them (default update).
                         BN in frozen groups always keeps its statistics and affine.
  --bn-affine train|freeze   whether gamma and beta train (default train)
  --bn-momentum X        fraction of the moving average kept per step, Keras convention
                         (PyTorch's momentum is 1 − X). Default 0.9, PyTorch's 0.1: models often
                         carry Keras's 0.99, which after a short fine-tune leaves the statistics
                         mostly those of the old domain.
Other
  --seed N               shuffle and augmentation seed (default 0)
  --no-augment           no random crops, flips or colour jitter
  --no-shuffle           visit images in folder order
  --out DIR              where the adapted model goes
  --json                 last stdout line: {"images_per_second","backend","val_accuracy",…}`,
  options: {
    model: { type: 'string' }, data: { type: 'string' }, val: { type: 'string' }, cut: { type: 'string' },
    epochs: { type: 'string' }, steps: { type: 'string' }, batch: { type: 'string' }, accum: { type: 'string' },
    lr: { type: 'string' }, optimizer: { type: 'string' }, freeze: { type: 'string' },
    'bn-stats': { type: 'string' }, 'bn-affine': { type: 'string' }, 'bn-momentum': { type: 'string' },
    seed: { type: 'string' }, 'no-augment': { type: 'boolean' }, 'no-shuffle': { type: 'boolean' }, out: { type: 'string' },
  },
  async run(ctx) {
    const v = ctx.values;
    const modelRef = required(v, 'model', 'a zoo id or a model.json');
    const dataDir = required(v, 'data', 'a folder with one subfolder per class');
    const out = resolve(required(v, 'out', 'the folder to write the adapted model to'));
    const epochs = num(v, 'epochs', 1, { min: 1, integer: true });
    const steps = str(v, 'steps') === undefined ? undefined : num(v, 'steps', 0, { min: 1, integer: true });
    const batchSize = num(v, 'batch', 32, { min: 1, integer: true });
    if (str(v, 'accum') !== undefined && num(v, 'accum', 1, { min: 1, integer: true }) !== 1) {
      throw new InputError('--accum: gradient accumulation is not available yet; use --accum 1 or leave it out');
    }
    const optimizer = choice(v, 'optimizer', ['sgd', 'adam'] as const, 'adam');
    const lr = num(v, 'lr', optimizer === 'adam' ? 1e-3 : 1e-2, { min: 0 });
    const freezeText = str(v, 'freeze') ?? 'none';
    const freeze = parseFreezeSpec(freezeText);
    if (!freeze) throw new InputError(`--freeze ${freezeText}: expected none, backbone or last:N (N ≥ 1)`);
    const bnStats = choice(v, 'bn-stats', ['freeze', 'update', 'reset'] as const, 'update');
    if (bnStats === 'reset') throw new InputError('--bn-stats reset: not available yet; run with update or freeze');
    const bnAffine = choice(v, 'bn-affine', ['train', 'freeze'] as const, 'train');
    const bnMomentum = num(v, 'bn-momentum', 0.9, { min: 0, max: 1 });
    const seed = num(v, 'seed', 0, { integer: true });
    const augment = !flag(v, 'no-augment');
    const shuffle = !flag(v, 'no-shuffle');
    const cut = str(v, 'cut');

    const backend = await ctx.engine();
    const parent = await loadModel(modelRef);
    const trainSet = await openLabelledFolder(dataDir, '--data');
    requireTrainable(trainSet);
    for (const w of trainSet.warnings) ctx.log(`warning: --data: ${w}`);
    const valSet = str(v, 'val') ? await openLabelledFolder(str(v, 'val')!, '--val') : undefined;

    const dataClasses = trainSet.classNames.filter((_, i) => trainSet.items.some((it) => it.label === i));
    const keepsHead = cut === undefined && dataClasses.every((c) => parent.manifest.classes.includes(c));
    const model = keepsHead ? parent.model : replaceHead(parent.model, dataClasses.length, cut);
    if (!keepsHead) ctx.log(`new head: ${dataClasses.length} classes (${dataClasses.slice(0, 8).join(', ')}${dataClasses.length > 8 ? ', …' : ''}) after '${cut ?? 'last pooling layer'}'`);
    const groups = modelGroups(model);
    const manifest: Manifest = {
      ...parent.manifest,
      classes: keepsHead ? parent.manifest.classes : dataClasses,
      output: keepsHead ? parent.manifest.output : 'logits',
      groups,
      bnLayers: countBatchNorm(model),
    };
    const strategy = applyStrategy(model, groups, { freeze, bnStats, bnAffine, bnMomentum });
    if (strategy.variables.length === 0) throw new InputError(`--freeze ${freezeText}: leaves nothing to train`);
    ctx.log(`training groups ${strategy.trainableGroups.join(', ')}: ${strategy.trainableParams} of ${strategy.totalParams} parameters`);

    const feed = feedFor(trainSet, manifest.classes, manifest, { batchSize, shuffle, augment, seed });
    const valFeed = valSet ? feedFor(valSet, manifest.classes, manifest, { batchSize: 64, shuffle: false, augment: false, seed: 0 }, '--val') : undefined;
    const valHistory: { epoch: number; accuracy: number; n: number }[] = [];
    const emit = fanOut(progressPrinter());
    const config = {
      model: modelRef, parent: parent.manifest.contentHash, data: resolve(dataDir), val: valSet ? resolve(valSet.root) : null,
      epochs, steps: steps ?? null, batch: batchSize, optimizer, lr, freeze: formatFreezeSpec(freeze),
      bnStats, bnAffine, bnMomentum, seed, augment, shuffle, cut: cut ?? null, newHead: !keepsHead,
    };
    const imagesPerEpoch = feed.items.length;
    emit({ type: 'RunStarted', command: 'train', backend: backend.name, config, totalSteps: steps ?? Math.ceil(imagesPerEpoch / batchSize) * epochs, totalImages: imagesPerEpoch * epochs });
    const summary = await trainLoop({
      model, manifest, variables: strategy.variables, optimizer: optimizerFor(optimizer, lr), schedule: constantLr(lr),
      source: feed.source, imagesPerEpoch, batchSize, epochs: steps ? Math.ceil((steps * batchSize) / imagesPerEpoch) : epochs,
      maxSteps: steps, emit,
      afterEpoch: valFeed ? async (epoch) => {
        const r = await evaluate(model, manifest, valFeed.source(0), valFeed.items.length);
        valHistory.push({ epoch, accuracy: r.accuracy, n: r.n });
        emit({ type: 'ValidationEnded', epoch, accuracy: r.accuracy, n: r.n });
      } : undefined,
    });
    const skipped = [...feed.badFiles.list(), ...(valFeed?.badFiles.list() ?? [])];
    if (skipped.length > 0) emit({ type: 'DataSkipped', files: skipped });

    const saved = await saveModel(model, {
      ...manifest,
      id: out.split('/').filter(Boolean).pop() ?? 'model',
      description: `${parent.manifest.id} fine-tuned on ${resolve(dataDir)}`,
      recipe: { command: 'train', ...config, backend: backend.name, result: { steps: summary.steps, loss: summary.loss, trainAccuracy: summary.trainAccuracy, val: valHistory } },
      bnStatistics: bnStats === 'freeze' || strategy.trainableGroups.length === 0 ? parent.manifest.bnStatistics : `fine-tune:${feed.hash}`,
      lineage: { parent: parent.manifest.contentHash, dataset: feed.hash },
    }, out);
    emit({ type: 'CheckpointSaved', path: out, contentHash: saved.contentHash });
    const last = valHistory[valHistory.length - 1];
    const json = {
      backend: backend.name, images_per_second: Number(summary.imagesPerSecond.toFixed(2)), steps: summary.steps, images: summary.images,
      seconds: Number(summary.seconds.toFixed(2)), loss: summary.loss, train_accuracy: summary.trainAccuracy,
      val_accuracy: last?.accuracy ?? null, val_n: last?.n ?? null, out, contentHash: saved.contentHash,
      classes: manifest.classes, trainable_groups: strategy.trainableGroups, trainable_params: strategy.trainableParams, skipped,
    };
    const text = `trained ${summary.steps} steps (${summary.images} images, ${summary.imagesPerSecond.toFixed(1)} img/s on ${backend.name}); loss ${summary.loss.toFixed(4)}, train acc ${(100 * summary.trainAccuracy).toFixed(1)}%${last ? `, val acc ${(100 * last.accuracy).toFixed(1)}%` : ''}\nsaved ${out}`;
    return { json, text };
  },
};
