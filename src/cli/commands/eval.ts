import { evaluate } from '../../train/evaluate.js';
import { feedFor, openLabelledFolder } from '../../train/data-feed.js';
import { loadModel } from '../../models/model-io.js';
import { fanOut } from '../../events/run-events.js';
import { progressPrinter } from '../progress.js';
import { num, required } from '../flags.js';
import type { Command } from '../command.js';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'accuracy of a model on a labelled image folder',
  usage: `Usage: calibra eval --model M --data DIR [--batch B] [--json]

Runs the model in inference mode (moving BN statistics) over DIR, which holds one folder per
class named like the model's classes (the digits models: DIR/0 … DIR/9). Unreadable files are
skipped and listed.

  --model M     zoo id (see 'calibra models') or a tfjs model.json or its folder
  --data DIR    labelled folder: one subfolder per class
  --batch B     images per forward pass (default 64)
  --json        print {"accuracy","n","perClass","backend",…} as the last stdout line`,
  options: {
    model: { type: 'string' },
    data: { type: 'string' },
    batch: { type: 'string' },
  },
  async run(ctx) {
    const modelRef = required(ctx.values, 'model', 'a zoo id or a model.json');
    const dataDir = required(ctx.values, 'data', 'a folder with one subfolder per class');
    const batchSize = num(ctx.values, 'batch', 64, { min: 1, integer: true });
    const backend = await ctx.engine();
    const { model, manifest } = await loadModel(modelRef);
    const dataset = await openLabelledFolder(dataDir, '--data');
    for (const w of dataset.warnings) ctx.log(`warning: ${w}`);
    const feed = feedFor(dataset, manifest.classes, manifest, { batchSize, shuffle: false, augment: false, seed: 0 });
    const emit = fanOut(progressPrinter());
    const result = await evaluate(model, manifest, feed.source(0), feed.items.length, emit);
    const skipped = feed.badFiles.list();
    if (skipped.length > 0) emit({ type: 'DataSkipped', files: skipped });
    const json = {
      accuracy: result.accuracy, n: result.n, perClass: result.perClass, backend: backend.name,
      images_per_second: Number(result.imagesPerSecond.toFixed(2)), model: manifest.id, modelHash: manifest.contentHash, skipped,
    };
    const perClass = Object.entries(result.perClass).map(([c, v]) => `  ${c.padEnd(12)} ${(100 * v.accuracy).toFixed(1).padStart(5)}%  (n=${v.n})`).join('\n');
    const text = `accuracy ${(100 * result.accuracy).toFixed(2)}% on ${result.n} images (${manifest.id}, ${backend.name}, ${result.imagesPerSecond.toFixed(1)} img/s)\n${perClass}${skipped.length ? `\nskipped ${skipped.length} unreadable file(s)` : ''}`;
    return { json, text };
  },
};
