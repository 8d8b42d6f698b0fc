import { DOMAIN_IDS, DOMAINS, SOURCE_DOMAIN_ID } from '../../data/synth/index.js';
import { InputError } from '../../errors.js';
import { synthStepSchema } from '../../workflows/schema.js';
import { str } from '../flags.js';
import { SYNTH_OPTIONS } from '../../options/synth.js';
import { flagTable } from '../../options/flag-table.js';
import { flagValues } from '../../options/flag-values.js';
import { flagSections } from '../../options/help-text.js';
import { stepOptions } from '../step-options.js';
import type { Command } from '../command.js';

const domainList = DOMAINS.map((d) => `  ${d.id.padEnd(14)} ${d.id === SOURCE_DOMAIN_ID ? '(source) ' : ''}${d.description}`).join('\n');

export const dataSynthCommand: Command = {
  name: 'data synth',
  summary: 'generate a labelled synthetic digits folder in a source or shifted domain',
  usage: `Usage: calibra data synth --domain D --out DIR [--per-class N] [--size S] [--seed N] [--overwrite] [--json]

Draws handwritten-style digits 0–9 from vector strokes (no fonts needed) into DIR/0 … DIR/9 as
PNG. The shipped digits model was trained on '${SOURCE_DOMAIN_ID}' only; the other domains are shifts
to adapt to. DIR must not exist or be empty, or with --overwrite hold a set that 'data synth'
wrote (nothing else is ever replaced); it appears only once complete. With the same seed,
every domain draws the same handwriting, so sets are paired across domains.

Domains:
${domainList}

${flagSections(SYNTH_OPTIONS)}`,
  options: flagTable(SYNTH_OPTIONS),
  async run(ctx) {
    const domain = str(ctx.values, 'domain');
    // Said before the schema's enum check, whose message would not name the value typed.
    if (domain !== undefined && domain !== '' && !DOMAIN_IDS.includes(domain)) throw new InputError(`--domain ${domain}: unknown domain (choose from ${DOMAIN_IDS.join(', ')})`);
    const options = stepOptions(synthStepSchema, flagValues(SYNTH_OPTIONS, ctx.values));
    const summary = await ctx.runStep({ kind: 'synth' as const, options });
    return { json: { ...summary }, text: `wrote ${summary.n} ${summary.size}×${summary.size} '${summary.domain}' digits to ${summary.out}` };
  },
};
