import { recalibrateStepSchema } from '../../workflows/schema.js';
import { RECALIBRATE_OPTIONS } from '../../options/recalibrate.js';
import { flagTable } from '../../options/flag-table.js';
import { flagValues } from '../../options/flag-values.js';
import { flagSections, helpRow } from '../../options/help-text.js';
import { stepOptions } from '../step-options.js';
import type { Command } from '../command.js';
import { plural } from '../format.js';

export const recalibrateCommand: Command = {
  name: 'recalibrate',
  summary: 'AdaBN: re-estimate BN statistics on unlabelled target images and save the model',
  usage: `Usage: calibra recalibrate --model M --images DIR --out DIR [--mode exact|fast] [--batch B]
                           [--groups G,...] [--min-images N] [--overwrite]
                           [--trust-weights] [--json]

AdaBN (Li et al. 2016): replaces each BN layer's moving mean and variance with the population
mean and variance of its input over every readable image under DIR (flat or nested; labels
ignored; unreadable files skipped and listed). Batches are merged exactly, never by moving
average, and the variance is stored unbiased (n − 1), as training stores it. Only the network's
forward pass runs; no weight changes. The output's manifest records bnStatistics
"adabn-<mode>:<folder hash>", the parent model's hash and the image count.

${flagSections(RECALIBRATE_OPTIONS)}
Result
${helpRow('--json', 'last stdout line: {"images","skipped","mode","layers","groups","backend","seconds","images_per_second","out",…}')}`,
  options: flagTable(RECALIBRATE_OPTIONS),
  async run(ctx) {
    const options = stepOptions(recalibrateStepSchema, flagValues(RECALIBRATE_OPTIONS, ctx.values));
    const r = await ctx.runStep({ kind: 'recalibrate' as const, options });
    const text = `recalibrated ${r.layers} BN layer(s) (${r.groups.join(', ')}) on ${plural(r.images, 'image')}, AdaBN ${r.mode}, ${r.seconds.toFixed(1)} s on ${r.backend} (${r.forward_passes.toFixed(2)} forward passes)${r.skipped.length ? `; skipped ${r.skipped.length} unreadable file(s)` : ''}\nsaved ${r.out} (${r.contentHash})`;
    return { json: { ...r }, text };
  },
};
