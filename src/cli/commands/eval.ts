import { evalStepSchema } from '../../workflows/schema.js';
import { runStep } from '../../workflows/runner.js';
import { flag, num, required, str } from '../flags.js';
import { stepOptions } from '../step-options.js';
import { preprocessHelp } from '../../models/preprocessing.js';
import type { Command } from '../command.js';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'accuracy of a model on a labelled image folder',
  usage: `Usage: calibra eval --model M --data DIR [--class-map NEW=OLD,…] [--preprocess P]
                    [--batch B] [--bn-check] [--trust-weights] [--json]

Runs the model in inference mode (moving BN statistics) over DIR, which holds one folder per
class named like the model's classes (the digits models: DIR/0 … DIR/9). Unreadable files and
folders are skipped and listed; a DIR in which nothing can be read is an error (exit 2). Files
not named as images (.svg, no extension) and hidden ones are not read, only counted.

  --model M     zoo id (see 'calibra models') or a tfjs model.json or its folder
  --data DIR    labelled folder: one subfolder per class
  --batch B     images per forward pass (default 64)
  --class-map NEW=OLD,…
                zero-shot on folders named differently: the model answers only among the
                mapped classes OLD (names, or indices), scored as folders NEW; or @file.json
                holding {"NEW": "OLD", …}. E.g. an ImageNet model on ants/bees:
                --class-map ants=ant,bees=bee
  --preprocess P
                model input from pixels, overriding what the model says:
                ${preprocessHelp('                ')}
  --trust-weights
                load M even if its weights do not match its manifest's content hash
  --bn-check    also score the same images with BN in training mode (batch statistics; nothing
                is updated) and compare. Batch statistics depend on the batch's size and class
                mix: the images are shuffled with a fixed seed into batches of B. A gap above 5
                points means the moving statistics do not describe DIR: recalibrate.
  --json        print {"accuracy","n","perClass","backend",…} as the last stdout line; with
                --bn-check also "bnCheck":{"batchStatsAccuracy","movingStatsAccuracy","gap","advice",…}`,
  options: { model: { type: 'string' }, data: { type: 'string' }, batch: { type: 'string' }, 'class-map': { type: 'string' }, preprocess: { type: 'string' }, 'trust-weights': { type: 'boolean' }, 'bn-check': { type: 'boolean' } },
  async run(ctx) {
    const options = stepOptions(evalStepSchema, {
      model: required(ctx.values, 'model', 'a zoo id or a model.json'),
      data: required(ctx.values, 'data', 'a folder with one subfolder per class'),
      batch: num(ctx.values, 'batch', 64, { min: 1, integer: true }),
      classMap: str(ctx.values, 'class-map'), preprocess: str(ctx.values, 'preprocess'),
      trustWeights: flag(ctx.values, 'trust-weights'),
      bnCheck: flag(ctx.values, 'bn-check'),
    });
    const r = await runStep({ kind: 'eval' as const, options }, ctx.env);
    const perClass = Object.entries(r.perClass).map(([c, v]) => `  ${c.padEnd(12)} ${(100 * v.accuracy).toFixed(1).padStart(5)}%  (n=${v.n})`).join('\n');
    const text = `accuracy ${(100 * r.accuracy).toFixed(2)}% on ${r.n} images (${r.model}, ${r.backend}, ${r.images_per_second.toFixed(1)} img/s)\n${perClass}${r.skipped.length ? `\nskipped ${r.skipped.length} unreadable file(s)` : ''}`;
    const check = r.bnCheck === undefined ? ''
      : r.bnCheck === null ? '\nbn check: the model has no BN layers'
      : `\nbn check (batches of ${r.bnCheck.batch}, shuffled with seed ${r.bnCheck.seed}): batch statistics ${(100 * r.bnCheck.batchStatsAccuracy).toFixed(2)}%, moving statistics ${(100 * r.bnCheck.movingStatsAccuracy).toFixed(2)}%${r.bnCheck.advice ? `\n${r.bnCheck.advice}` : ''}`;
    return { json: { ...r }, text: text + check };
  },
};
