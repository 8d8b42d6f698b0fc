import { InputError } from '../../errors.js';
import { trainStepSchema } from '../../workflows/schema.js';
import { str } from '../flags.js';
import { stepOptions } from '../step-options.js';
import { TRAIN_OPTIONS } from '../../options/train.js';
import { flagTable } from '../../options/flag-table.js';
import { flagValues } from '../../options/flag-values.js';
import { flagSections, helpRow } from '../../options/help-text.js';
import type { Command } from '../command.js';
import { plural } from '../format.js';
import type { TrainStepResult } from '../../workflows/steps/train.js';

/** What `train` and `runs resume` print without --json. */
export function trainSummaryText(r: TrainStepResult): string {
  const kept = r.best_epoch === null ? '' : ` (epoch ${r.kept_epoch} of ${r.epochs_run}${r.stopped_early ? ', stopped early' : ''})`;
  return `trained ${plural(r.steps, 'step')} (${plural(r.images, 'image')}, ${r.images_per_second.toFixed(1)} img/s on ${r.backend}); loss ${r.loss.toFixed(4)}, train acc ${(100 * r.train_accuracy).toFixed(1)}%${r.val_accuracy === null ? '' : `, val acc ${(100 * r.val_accuracy).toFixed(1)}%${kept}`}\nsaved ${r.out} (${r.contentHash})`;
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'fine-tune a model on a labelled image folder and save the result',
  usage: `Usage: calibra train --model M --data DIR --out DIR [flags]

Fine-tunes M on DIR (one subfolder per class) and writes a loadable model to --out
(model.json + weights.bin + manifest.json, swapped in only when complete).
If DIR's classes differ from the model's, or --cut is given, the network is kept up to the
cut (default: its last global pooling layer) and gets a new dense head for DIR's classes.
Unreadable files and folders are skipped and listed; a --data or --val in which nothing can be
read is an error (exit 2) before training starts.

${flagSections(TRAIN_OPTIONS)}
Result
${helpRow('--json', 'last stdout line: {"images_per_second","backend","val_accuracy","kept_epoch","best_val_accuracy","featureCache",…}; val_accuracy is the saved epoch\'s; featureCache is built, hit, off or n/a')}`,
  options: flagTable(TRAIN_OPTIONS),
  async run(ctx) {
    const v = ctx.values;
    const options = stepOptions(trainStepSchema, flagValues(TRAIN_OPTIONS, v));
    if (str(v, 'epochs') !== undefined && options.steps !== undefined) {
      throw new InputError(`--epochs ${str(v, 'epochs')} --steps ${options.steps}: conflicting flags, give one: --epochs counts passes over --data, --steps optimizer steps`);
    }
    const r = await ctx.runStep({ kind: 'train' as const, options });
    return { json: { ...r }, text: trainSummaryText(r) };
  },
};
