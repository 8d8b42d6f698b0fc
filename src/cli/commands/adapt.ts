import { adaptStepSchema } from '../../workflows/schema.js';
import { ADAPT_OPTIONS } from '../../options/adapt.js';
import { flagTable } from '../../options/flag-table.js';
import { flagValues } from '../../options/flag-values.js';
import { flagSections, helpRow } from '../../options/help-text.js';
import { stepOptions } from '../step-options.js';
import type { Command } from '../command.js';
import { plural } from '../format.js';

export const adaptCommand: Command = {
  name: 'adapt',
  summary: 'test-time adaptation (TENT) on unlabelled images, saving the adapted model',
  usage: `Usage: calibra adapt --method tent --model M --images DIR --out DIR [flags]

TENT (test-time entropy minimisation, Wang et al. 2021): on the images under DIR (flat or
nested; folder names are ignored), only the BN layers' gamma and beta train, BN normalises with
batch statistics, and the loss is the mean entropy of the model's predictions. Every other
weight stays exactly as loaded. While it runs, each BN layer's input statistics are merged over
all the images, and they become the saved model's moving statistics, so the model predicts in
inference mode as adapted.

${flagSections(ADAPT_OPTIONS)}
Result
${helpRow('--json', 'last stdout line: {"method","images","steps","entropy_first_step","entropy_last_step","out",…}')}`,
  options: flagTable(ADAPT_OPTIONS),
  async run(ctx) {
    const options = stepOptions(adaptStepSchema, flagValues(ADAPT_OPTIONS, ctx.values));
    const r = await ctx.runStep({ kind: 'adapt' as const, options });
    const text = `TENT: ${plural(r.steps, 'step')} over ${plural(r.images, 'image')} (${r.images_per_second.toFixed(1)} img/s on ${r.backend}); ${r.trainable_params} BN affine parameters in ${r.bn_layers} layers trained; batch entropy ${r.entropy_first_step.toFixed(4)} → ${r.entropy_last_step.toFixed(4)}\nsaved ${r.out} (${r.contentHash})`;
    return { json: { ...r }, text };
  },
};
