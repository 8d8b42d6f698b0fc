import { DOMAINS, SOURCE_DOMAIN_ID } from '../../data/synth/domains.js';
import { SYNTH_DEFAULTS } from '../../data/synth/defaults.js';
import { synthesizeDataset } from '../../data/synth/write-dataset.js';
import { progressLine } from '../progress.js';
import { num, required } from '../flags.js';
import type { Command } from '../command.js';

const domainList = DOMAINS.map((d) => `  ${d.id.padEnd(14)} ${d.id === SOURCE_DOMAIN_ID ? '(source) ' : ''}${d.description}`).join('\n');

export const dataSynthCommand: Command = {
  name: 'data synth',
  summary: 'generate a labelled synthetic digits folder in a source or shifted domain',
  usage: `Usage: calibra data synth --domain D --out DIR [--per-class N] [--size S] [--seed N] [--json]

Draws handwritten-style digits 0–9 from vector strokes (no fonts needed) into DIR/0 … DIR/9 as
PNG. The shipped digits models were trained on '${SOURCE_DOMAIN_ID}' only; the other domains are shifts
to adapt to. DIR must not exist or be empty; it appears only once complete.

Domains:
${domainList}

  --per-class N   images per digit (default ${SYNTH_DEFAULTS.perClass})
  --size S        image side in pixels (default ${SYNTH_DEFAULTS.size})
  --seed N        the same seed draws the same images (default ${SYNTH_DEFAULTS.seed})`,
  options: {
    domain: { type: 'string' },
    out: { type: 'string' },
    'per-class': { type: 'string' },
    size: { type: 'string' },
    seed: { type: 'string' },
  },
  async run(ctx) {
    const domain = required(ctx.values, 'domain', `one of ${DOMAINS.map((d) => d.id).join(', ')}`);
    const out = required(ctx.values, 'out', 'the folder to create');
    const perClass = num(ctx.values, 'per-class', SYNTH_DEFAULTS.perClass, { min: 1, integer: true });
    const size = num(ctx.values, 'size', SYNTH_DEFAULTS.size, { min: 8, max: 1024, integer: true });
    const seed = num(ctx.values, 'seed', SYNTH_DEFAULTS.seed, { integer: true });
    const start = performance.now();
    let last = 0;
    const summary = await synthesizeDataset({
      domain, out, perClass, size, seed,
      onProgress: (done, total) => {
        const now = performance.now();
        if (now - last < 2000 && done < total) return;
        last = now;
        ctx.log(progressLine(done, total, done / ((now - start) / 1000)));
      },
    });
    return { json: { ...summary }, text: `wrote ${summary.n} ${summary.size}×${summary.size} '${summary.domain}' digits to ${summary.out}` };
  },
};
