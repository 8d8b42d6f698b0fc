import { InputError } from '../../errors.js';
import { trainStepSchema } from '../../workflows/schema.js';
import { SEED_RANGE, flag, num, required, str } from '../flags.js';
import { stepOptions } from '../step-options.js';
import { preprocessHelp } from '../../models/preprocessing.js';
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

Data
  --model M              zoo id or a tfjs model.json / its folder
  --data DIR             labelled training images
  --val DIR              labelled validation images, evaluated after each epoch
  --val-split F          or hold out a share F of each class of --data (seeded by --seed)
  --cut LAYER            keep the network up to LAYER and put a new head on it
  --class-map NEW=OLD,…  start the new head from the old classifier's rows: each class folder
                         NEW takes the model's class OLD (a name, or its index); or
                         @file.json holding {"NEW": "OLD", …}. Unmapped folders start fresh.
  --preprocess P         model input from pixels, overriding what the model says:
                         ${preprocessHelp('                         ')}
Schedule
  --epochs N             passes over --data (default 1)
  --steps N              stop after N optimizer steps instead of counting epochs; giving
                         both --epochs and --steps is an error, since they disagree on when
                         to stop
  --batch B              images per forward pass (default 32)
  --accum K              accumulate K forward passes per optimizer step: the step sees K·B
                         images while memory holds B (default 1). What BN does then is
                         --bn-accum's question.
  --bn-accum micro|merged
                         BN with --bn-stats update and --accum K > 1 normalises each pass of B
                         with that pass's own statistics either way (a pass cannot see the
                         others), so the step is not the same as one batch of K·B:
                           micro   the moving averages move K times per step, each time with
                                   one pass's statistics (default)
                           merged  they move once per step, with the exact statistics of all
                                   K·B images merged, as one batch of K·B would move them
                         With --bn-stats freeze the step equals one batch of K·B exactly; it is
                         the choice when B is small (below 16 images a pass's statistics are
                         noisy, and Calibra warns).
  --lr X                 base learning rate (default 0.001 for adam and adamw, 0.01 for sgd)
  --optimizer sgd|adam|adamw
                         sgd is SGD with momentum 0.9; adamw is Adam with decoupled weight
                         decay (default adam). The update rules are PyTorch's.
  --nesterov             Nesterov momentum (sgd only)
  --weight-decay X       an L2 term in the gradient for sgd and adam, decoupled (p ← p·(1 − lr·X))
                         for adamw (default 0). Variables of rank ≤ 1 (biases, BN gamma and beta)
                         never decay.
  --schedule constant|cosine|onecycle|step
                         the rate per optimizer step, over the steps the run makes:
                           constant  lr throughout (default)
                           cosine    cosine decay from lr to lr/100
                           onecycle  cosine rise from lr/25 to lr over 30% of the run (or
                                     --warmup steps), then a cosine fall to about 0
                           step      lr, then lr/10 from half the run, lr/100 from three quarters
  --warmup N             the first N optimizer steps rise linearly to lr (for onecycle: the rise);
                         N must be less than the steps the run makes (default 0)
  --label-smoothing X    train against (1 − X)·one-hot + X/K over the K classes (default 0);
                         validation loss stays plain cross-entropy
  --lr-mult GROUP=X,…|geometric:F
                         discriminative rates: each group's variables step at lr × X (groups not
                         named, 1); geometric:F spreads F (first training group) to 1 (head)
                         geometrically over the groups that train
Keeping and stopping (need --val or --val-split)
  --keep best|last       save the weights and BN statistics of the best epoch by --monitor, or
                         of the last (default best with validation, last without)
  --monitor val_accuracy|val_loss
                         what judges an epoch (default val_accuracy; val_loss is cross-entropy)
  --patience N           stop after N epochs in a row without improving --monitor
Strategy
  --freeze none|backbone|last:N
                         which layer groups train: all, only the head, or the last N groups
                         counting the head (default none). Groups: stem, block1…blockN, head.
                         Gradual unfreezing (stages, each with its own freeze spec, epochs and
                         lr, in one run) is set in a workflow's train step: stages: [{freeze:
                         backbone, epochs: 1, lr: 0.001}, {freeze: none, epochs: 3, lr: 0.0003}].
  --bn-stats freeze|update|reset
                         BN statistics in the groups that train: keep the moving statistics,
                         or normalise with batch statistics and update them (default update),
                         or first re-estimate them on the training images (AdaBN exact, no
                         augmentation) and then update them.
                         BN in frozen groups always keeps its statistics and affine.
  --bn-affine train|freeze   whether gamma and beta train (default train)
  --bn-momentum X        fraction of the moving average kept per step, Keras convention
                         (PyTorch's momentum is 1 − X). Default 0.9, PyTorch's 0.1: models often
                         carry Keras's 0.99, which after a short fine-tune leaves the statistics
                         mostly those of the old domain.
  --bn-eps X             BN epsilon in the groups that train (default: the model's own)
                         Per-group BN policies (stats, affine, momentum, epsilon) are set in a
                         workflow's train step: bn: {default: {...}, groups: {stem: {...}}}.
Other
  --seed N               shuffle and augmentation seed (default 0)
  --no-augment           no random crops, flips or colour jitter
  --no-shuffle           visit images in folder order
  --out DIR              where the adapted model goes: a new or empty folder, or with
                         --overwrite a model Calibra wrote (never anything else, nor a folder
                         inside --model, --data or --val)
  --overwrite            replace the Calibra model already at --out
  --trust-weights        load --model even if its weights do not match its manifest's hash
  --checkpoint-every N   also checkpoint every N optimizer steps. A checkpoint (weights,
                         optimizer state, data position) is written under
                         $CALIBRA_HOME/checkpoints/RUN at each epoch's end and when Ctrl+C
                         stops the run; 'calibra runs resume RUN' continues a stopped or
                         killed run exactly where it was. A finished run's is removed.
  --json                 last stdout line: {"images_per_second","backend","val_accuracy",
                         "kept_epoch","best_val_accuracy",…}; val_accuracy is the saved epoch's`,
  options: {
    model: { type: 'string' }, data: { type: 'string' }, val: { type: 'string' }, 'val-split': { type: 'string' }, cut: { type: 'string' },
    epochs: { type: 'string' }, steps: { type: 'string' }, batch: { type: 'string' }, accum: { type: 'string' },
    lr: { type: 'string' }, optimizer: { type: 'string' }, nesterov: { type: 'boolean' }, 'weight-decay': { type: 'string' },
    schedule: { type: 'string' }, warmup: { type: 'string' }, 'label-smoothing': { type: 'string' }, 'lr-mult': { type: 'string' },
    keep: { type: 'string' }, monitor: { type: 'string' }, patience: { type: 'string' }, freeze: { type: 'string' },
    'bn-stats': { type: 'string' }, 'bn-affine': { type: 'string' }, 'bn-momentum': { type: 'string' }, 'bn-eps': { type: 'string' }, 'bn-accum': { type: 'string' },
    'class-map': { type: 'string' }, preprocess: { type: 'string' },
    seed: { type: 'string' }, 'no-augment': { type: 'boolean' }, 'no-shuffle': { type: 'boolean' }, out: { type: 'string' },
    overwrite: { type: 'boolean' }, 'trust-weights': { type: 'boolean' }, 'checkpoint-every': { type: 'string' },
  },
  async run(ctx) {
    const v = ctx.values;
    const optional = (name: string, opts: Parameters<typeof num>[3] = {}) => (str(v, name) === undefined ? undefined : num(v, name, 0, opts));
    const options = stepOptions(trainStepSchema, {
      model: required(v, 'model', 'a zoo id or a model.json'),
      data: required(v, 'data', 'a folder with one subfolder per class'),
      out: required(v, 'out', 'the folder to write the adapted model to'),
      val: str(v, 'val'), valSplit: optional('val-split', { min: 0, max: 0.9 }), cut: str(v, 'cut'),
      epochs: optional('epochs', { min: 1, integer: true }), steps: optional('steps', { min: 1, integer: true }),
      batch: optional('batch', { min: 1, integer: true }), accum: optional('accum', { min: 1, integer: true }), lr: optional('lr', { min: 0 }),
      optimizer: str(v, 'optimizer'), nesterov: flag(v, 'nesterov'), weightDecay: optional('weight-decay', { min: 0 }),
      schedule: str(v, 'schedule'), warmup: optional('warmup', { min: 0, integer: true }), labelSmoothing: optional('label-smoothing', { min: 0 }),
      lrMult: str(v, 'lr-mult'), keep: str(v, 'keep'), monitor: str(v, 'monitor'), patience: optional('patience', { min: 1, integer: true }),
      freeze: str(v, 'freeze'), bnStats: str(v, 'bn-stats'), bnAffine: str(v, 'bn-affine'),
      bnMomentum: optional('bn-momentum', { min: 0, max: 1 }), bnEps: optional('bn-eps'), bnAccum: str(v, 'bn-accum'), seed: optional('seed', SEED_RANGE),
      augment: !flag(v, 'no-augment'), shuffle: !flag(v, 'no-shuffle'),
      classMap: str(v, 'class-map'), preprocess: str(v, 'preprocess'),
      overwrite: flag(v, 'overwrite'), trustWeights: flag(v, 'trust-weights'),
      checkpointEvery: optional('checkpoint-every', { min: 1, integer: true }),
    });
    if (str(v, 'epochs') !== undefined && options.steps !== undefined) {
      throw new InputError(`--epochs ${str(v, 'epochs')} --steps ${options.steps}: conflicting flags, give one: --epochs counts passes over --data, --steps optimizer steps`);
    }
    const r = await ctx.runStep({ kind: 'train' as const, options });
    return { json: { ...r }, text: trainSummaryText(r) };
  },
};
