import { adaptStepSchema } from '../../workflows/schema.js';
import { flag, num, required, str } from '../flags.js';
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

  --method tent    the adaptation method (default tent; the only one so far)
  --model M        zoo id or a tfjs model.json / its folder
  --images DIR     unlabelled images of the target domain
  --out DIR        where the adapted model goes
  --steps N        optimizer steps (default: one pass over DIR)
  --batch B        images per step, shuffled (default 64; TENT needs batches large enough for
                   their statistics to mean something)
  --lr X           learning rate (default 0.001)
  --optimizer sgd|adam   sgd is SGD with momentum 0.9 (default adam)
  --seed N         shuffle seed (default 0)
  --overwrite      replace a Calibra model already at --out
  --json           last stdout line: {"method","images","steps","entropy_first_step","entropy_last_step","out",…}`,
  options: {
    method: { type: 'string' }, model: { type: 'string' }, images: { type: 'string' }, out: { type: 'string' },
    steps: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' }, optimizer: { type: 'string' },
    seed: { type: 'string' }, overwrite: { type: 'boolean' },
  },
  async run(ctx) {
    const v = ctx.values;
    const optional = (name: string, opts: Parameters<typeof num>[3] = {}) => (str(v, name) === undefined ? undefined : num(v, name, 0, opts));
    const options = stepOptions(adaptStepSchema, {
      method: str(v, 'method'),
      model: required(v, 'model', 'a zoo id or a model.json'),
      images: required(v, 'images', 'a folder of unlabelled images'),
      out: required(v, 'out', 'the folder to write the adapted model to'),
      steps: optional('steps', { min: 1, integer: true }), batch: optional('batch', { min: 1, integer: true }),
      lr: optional('lr', { min: 0 }), optimizer: str(v, 'optimizer'), seed: optional('seed', { integer: true }),
      overwrite: flag(v, 'overwrite'),
    });
    const r = await ctx.runStep({ kind: 'adapt' as const, options });
    const text = `TENT: ${plural(r.steps, 'step')} over ${plural(r.images, 'image')} (${r.images_per_second.toFixed(1)} img/s on ${r.backend}); ${r.trainable_params} BN affine parameters in ${r.bn_layers} layers trained; batch entropy ${r.entropy_first_step.toFixed(4)} → ${r.entropy_last_step.toFixed(4)}\nsaved ${r.out} (${r.contentHash})`;
    return { json: { ...r }, text };
  },
};
