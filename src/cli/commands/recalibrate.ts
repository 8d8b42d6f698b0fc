import { recalibrateStepSchema } from '../../workflows/schema.js';
import { DEFAULT_MIN_IMAGES } from '../../bn/min-images.js';
import { flag, num, required, str } from '../flags.js';
import { stepOptions } from '../step-options.js';
import { preprocessHelp } from '../../models/preprocessing.js';
import type { Command } from '../command.js';
import { plural } from '../format.js';

export const recalibrateCommand: Command = {
  name: 'recalibrate',
  summary: 'AdaBN: re-estimate BN statistics on unlabelled target images and save the model',
  usage: `Usage: calibra recalibrate --model M --images DIR --out DIR [--mode exact|fast] [--batch B]
                           [--groups G,...] [--min-images N] [--preprocess P] [--overwrite] [--json]

AdaBN (Li et al. 2016): replaces each BN layer's moving mean and variance with the population
mean and variance of its input over every readable image under DIR (flat or nested; labels
ignored; unreadable files skipped and listed). Batches are merged exactly, never by moving
average, and the variance is stored unbiased (n − 1), as training stores it. Only the network's
forward pass runs; no weight changes. The output's manifest records bnStatistics
"adabn-<mode>:<folder hash>", the parent model's hash and the image count.

  --model M          zoo id or a tfjs model.json / its folder
  --images DIR       unlabelled target-domain images
  --out DIR          where the recalibrated model goes
  --mode exact|fast  exact (default): BN layers in network order, each measured on inputs that
                     every BN upstream of it, already recalibrated, has normalised: what the
                     network sees at inference. Activations are cached (up to 512 MiB), so this
                     costs about one forward pass when they fit.
                     fast: one pass, each BN normalising with its own batch's statistics (like
                     PyTorch's update_bn); equal to exact for the first BN layer only.
  --batch B          images per forward pass (default 32); exact mode's result does not depend
                     on it, fast mode's does (through the batch statistics)
  --groups G,...     recalibrate only the BN layers of these groups (see 'calibra models show M');
                     the others keep their statistics bit for bit
  --min-images N     refuse fewer readable images than this (default ${DEFAULT_MIN_IMAGES}: a per-channel mean
                     over fewer images than one ordinary BN training batch of 32 is noisier than
                     what the network was trained with; BN degrades below 16 per batch)
  --preprocess P     model input from pixels, overriding what the model says, and saved in
                     --out's manifest (recalibrate with the resize mode you will evaluate with):
                     ${preprocessHelp('                     ')}
  --overwrite        replace --out if it holds a Calibra model
  --json             last stdout line: {"images","skipped","mode","layers","groups","backend",
                     "seconds","images_per_second","out",…}`,
  options: {
    model: { type: 'string' }, images: { type: 'string' }, out: { type: 'string' }, mode: { type: 'string' },
    batch: { type: 'string' }, groups: { type: 'string' }, 'min-images': { type: 'string' }, preprocess: { type: 'string' }, overwrite: { type: 'boolean' },
  },
  async run(ctx) {
    const v = ctx.values;
    const groups = str(v, 'groups');
    const options = stepOptions(recalibrateStepSchema, {
      model: required(v, 'model', 'a zoo id or a model.json'),
      images: required(v, 'images', 'a folder of target-domain images'),
      out: required(v, 'out', 'the folder to write the recalibrated model to'),
      mode: str(v, 'mode'),
      batch: str(v, 'batch') === undefined ? undefined : num(v, 'batch', 0, { min: 1, integer: true }),
      groups: groups === undefined ? undefined : groups.split(',').map((g) => g.trim()).filter((g) => g !== ''),
      minImages: str(v, 'min-images') === undefined ? undefined : num(v, 'min-images', 0, { min: 1, integer: true }),
      preprocess: str(v, 'preprocess'),
      overwrite: flag(v, 'overwrite'),
    });
    const r = await ctx.runStep({ kind: 'recalibrate' as const, options });
    const text = `recalibrated ${r.layers} BN layer(s) (${r.groups.join(', ')}) on ${plural(r.images, 'image')}, AdaBN ${r.mode}, ${r.seconds.toFixed(1)} s on ${r.backend} (${r.forward_passes.toFixed(2)} forward passes)${r.skipped.length ? `; skipped ${r.skipped.length} unreadable file(s)` : ''}\nsaved ${r.out} (${r.contentHash})`;
    return { json: { ...r }, text };
  },
};
