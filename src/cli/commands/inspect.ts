import { inspectStepSchema } from '../../workflows/schema.js';
import { SMALL_DRIFT } from '../../bn/advice.js';
import { num, required } from '../flags.js';
import { stepOptions } from '../step-options.js';
import { driftTable } from '../drift-table.js';
import type { Command } from '../command.js';

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'where the domain gap sits: per-layer BN statistics drift on an image folder, with advice',
  usage: `Usage: calibra inspect --model M --images DIR [--batch B] [--json]

Runs M in inference mode (every BN on its moving statistics) over the images under DIR (flat or
nested, labels ignored) and compares, for each BN layer in network order, the statistics it holds
with those its input really has. Per channel, with a = σ²_held + ε, b = σ²_data + ε (ε: the
layer's epsilon) and Δ = μ_data − μ_held:

  drift      symmetric KL divergence of the two Gaussians, (a + Δ²)/2b + (b + Δ²)/2a − 1;
             a mean shift of k held standard deviations alone gives k², a variance ratio r
             alone gives (r + 1/r)/2 − 1
  meanShift  |Δ| / √a
  varRatio   b / a

each averaged over the layer's channels. The advice reads the profile per group: all under
${SMALL_DRIFT} → the gap is not in BN statistics; drift only in the first half of the groups →
recalibrate those groups; drift deeper → AdaBN exact on everything, then fine-tune.

  --model M      zoo id or a tfjs model.json / its folder
  --images DIR   target-domain images
  --batch B      images per forward pass (default 32); the result does not depend on it
  --json         last stdout line: {"images","layers":[{"name","group","channels","drift",
                 "meanShift","varRatio"}],"advice",…}`,
  options: { model: { type: 'string' }, images: { type: 'string' }, batch: { type: 'string' } },
  async run(ctx) {
    const v = ctx.values;
    const options = stepOptions(inspectStepSchema, {
      model: required(v, 'model', 'a zoo id or a model.json'),
      images: required(v, 'images', 'a folder of target-domain images'),
      batch: num(v, 'batch', 32, { min: 1, integer: true }),
    });
    const r = await ctx.runStep({ kind: 'inspect' as const, options });
    const text = `${driftTable(r.layers)}\n\n${r.images} images${r.skipped.length ? ` (${r.skipped.length} unreadable skipped)` : ''}, ${r.model} on ${r.backend}\n${r.advice}`;
    return { json: { ...r }, text };
  },
};
