import { DOMAIN_IDS, DOMAINS, SOURCE_DOMAIN_ID, SYNTH_DEFAULTS } from '../../data/synth/index.js';
import { InputError } from '../../errors.js';
import { synthStepSchema } from '../../workflows/schema.js';
import { SEED_RANGE, flag, num, required, str } from '../flags.js';
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

  --per-class N   images per digit (default ${SYNTH_DEFAULTS.perClass})
  --size S        image side in pixels (default ${SYNTH_DEFAULTS.size})
  --seed N        the same seed draws the same images (default ${SYNTH_DEFAULTS.seed})
  --overwrite     replace the synthetic set already at DIR`,
  options: { domain: { type: 'string' }, out: { type: 'string' }, 'per-class': { type: 'string' }, size: { type: 'string' }, seed: { type: 'string' }, overwrite: { type: 'boolean' } },
  async run(ctx) {
    const v = ctx.values;
    const domain = required(v, 'domain', `one of ${DOMAIN_IDS.join(', ')}`);
    if (!DOMAIN_IDS.includes(domain)) throw new InputError(`--domain ${domain}: unknown domain (choose from ${DOMAIN_IDS.join(', ')})`);
    const options = stepOptions(synthStepSchema, {
      domain,
      out: required(v, 'out', 'the folder to create'),
      perClass: str(v, 'per-class') === undefined ? undefined : num(v, 'per-class', 0, { min: 1, integer: true }),
      size: str(v, 'size') === undefined ? undefined : num(v, 'size', 0, { min: 8, max: 1024, integer: true }),
      seed: str(v, 'seed') === undefined ? undefined : num(v, 'seed', 0, SEED_RANGE),
      overwrite: flag(v, 'overwrite'),
    });
    const summary = await ctx.runStep({ kind: 'synth' as const, options });
    return { json: { ...summary }, text: `wrote ${summary.n} ${summary.size}×${summary.size} '${summary.domain}' digits to ${summary.out}` };
  },
};
