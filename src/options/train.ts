// `train`'s options: its flags, its --help and the fields of a preset's train step.
import { parseFreezeSpec } from '../models/groups.js';
import { SCHEDULES } from '../train/schedule.js';
import type { OptionSpec } from './option-spec.js';
import { batchOption, classMapOption, modelOption, outOption, overwriteOption, preprocessOption, seedOption, trustWeightsOption } from './shared.js';

/** What is wrong with a freeze spec, for flags, presets and their stages alike. */
export function freezeProblem(value: string): string | null {
  return parseFreezeSpec(value) === null ? 'expected none, backbone or last:N (N ≥ 1)' : null;
}

const KEEPING = 'Keeping and stopping (need --val or --val-split)';

export const TRAIN_OPTIONS = [
  modelOption,
  { field: 'data', flag: 'data', kind: 'path', placeholder: 'DIR', required: true, section: 'Input', help: 'labelled training images: one subfolder per class' },
  { field: 'val', flag: 'val', kind: 'path', placeholder: 'DIR', section: 'Input', help: 'labelled validation images, evaluated after each epoch' },
  {
    field: 'valSplit', flag: 'val-split', kind: 'number', placeholder: 'F', min: 0, max: 0.9, default: 0, section: 'Input',
    help: 'or hold out a share F of each class of --data for validation (seeded by --seed)',
  },
  { field: 'cut', flag: 'cut', kind: 'text', placeholder: 'LAYER', section: 'Input', help: 'keep the network up to LAYER and put a new head on it' },
  {
    ...classMapOption, mapping: true,
    help: "start the new head from the old classifier's rows",
    details: `Each class folder NEW takes the model's class OLD (a name, or its index);
or @file.json holding {"NEW": "OLD", …}. Unmapped folders start fresh.`,
  },
  preprocessOption,
  trustWeightsOption,

  { field: 'epochs', flag: 'epochs', kind: 'integer', placeholder: 'N', min: 1, section: 'Schedule', help: 'passes over --data (default 1)' },
  {
    field: 'steps', flag: 'steps', kind: 'integer', placeholder: 'N', min: 1, section: 'Schedule',
    help: 'stop after N optimizer steps instead of counting epochs',
    details: `(giving both --epochs and --steps is an error, since they disagree on
when to stop)`,
  },
  { ...batchOption, default: 32, section: 'Schedule' },
  {
    field: 'accum', flag: 'accum', kind: 'integer', placeholder: 'K', min: 1, default: 1, section: 'Schedule',
    help: 'accumulate K forward passes per optimizer step: the step sees K·B images while memory holds B',
    details: "What BN does then is --bn-accum's question.",
  },
  {
    field: 'bnAccum', flag: 'bn-accum', kind: 'choice', choices: ['micro', 'merged'], default: 'micro', section: 'Schedule',
    help: 'how BN moving averages move over the K passes of one step',
    details: `BN with --bn-stats update and --accum K > 1 normalises each pass of B
with that pass's own statistics either way (a pass cannot see the
others), so the step is not the same as one batch of K·B:
  micro   the moving averages move K times per step, each time with
          one pass's statistics
  merged  they move once per step, with the exact statistics of all
          K·B images merged, as one batch of K·B would move them
With --bn-stats freeze the step equals one batch of K·B exactly; it is
the choice when B is small (below 16 images a pass's statistics are
noisy, and Calibra warns).`,
  },
  {
    field: 'lr', flag: 'lr', kind: 'number', placeholder: 'X', min: 0, section: 'Schedule',
    help: 'base learning rate (default 0.001 for adam and adamw, 0.01 for sgd)',
  },
  {
    field: 'optimizer', flag: 'optimizer', kind: 'choice', choices: ['sgd', 'adam', 'adamw'], default: 'adam', section: 'Schedule',
    help: 'sgd is SGD with momentum 0.9; adamw is Adam with decoupled weight decay',
    details: "The update rules are PyTorch's.",
  },
  { field: 'nesterov', flag: 'nesterov', kind: 'flag', default: false, section: 'Schedule', help: 'Nesterov momentum (sgd only)' },
  {
    field: 'weightDecay', flag: 'weight-decay', kind: 'number', placeholder: 'X', min: 0, default: 0, section: 'Schedule',
    help: 'an L2 term in the gradient for sgd and adam, decoupled (p ← p·(1 − lr·X)) for adamw',
    details: 'Variables of rank ≤ 1 (biases, BN gamma and beta) never decay.',
  },
  {
    field: 'schedule', flag: 'schedule', kind: 'choice', choices: SCHEDULES, default: 'constant', section: 'Schedule',
    help: 'the rate per optimizer step, over the steps the run makes',
    details: `  constant  lr throughout
  cosine    cosine decay from lr to lr/100
  onecycle  cosine rise from lr/25 to lr over 30% of the run (or
            --warmup steps), then a cosine fall to about 0
  step      lr, then lr/10 from half the run, lr/100 from three quarters
With stages (a workflow's train step), each stage runs its own schedule.`,
  },
  {
    field: 'warmup', flag: 'warmup', kind: 'integer', placeholder: 'N', min: 0, default: 0, section: 'Schedule',
    help: 'the first N optimizer steps rise linearly to lr (for onecycle: the rise)',
    details: 'N must be less than the steps the run makes.',
  },
  {
    field: 'labelSmoothing', flag: 'label-smoothing', kind: 'number', placeholder: 'X', min: 0, lessThan: 1, default: 0, section: 'Schedule',
    help: 'train against (1 − X)·one-hot + X/K over the K classes',
    details: 'Validation loss stays plain cross-entropy.',
  },
  {
    field: 'lrMult', flag: 'lr-mult', kind: 'text', placeholder: 'GROUP=X,…|geometric:F', section: 'Schedule',
    help: "discriminative rates: each group's variables step at lr × X (groups not named, 1)",
    details: `geometric:F spreads F (first training group) to 1 (head) geometrically
over the groups that train.`,
  },

  {
    field: 'keep', flag: 'keep', kind: 'choice', choices: ['best', 'last'], section: KEEPING,
    help: 'save the weights and BN statistics of the best epoch by --monitor, or of the last (default best with validation, last without)',
  },
  {
    field: 'monitor', flag: 'monitor', kind: 'choice', choices: ['val_accuracy', 'val_loss'], section: KEEPING,
    help: 'what judges an epoch (default val_accuracy; val_loss is cross-entropy)',
  },
  { field: 'patience', flag: 'patience', kind: 'integer', placeholder: 'N', min: 1, section: KEEPING, help: 'stop after N epochs in a row without improving --monitor' },

  {
    field: 'freeze', flag: 'freeze', kind: 'text', placeholder: 'none|backbone|last:N', section: 'Strategy',
    help: 'which layer groups train: all, only the head, or the last N groups counting the head (default none)',
    details: `Groups: stem, block1…blockN, head.
Gradual unfreezing (stages, each with its own freeze spec, epochs and
lr, in one run) is set in a workflow's train step: stages: [{freeze:
backbone, epochs: 1, lr: 0.001}, {freeze: none, epochs: 3, lr: 0.0003}].`,
    check: freezeProblem,
  },
  {
    field: 'bnStats', flag: 'bn-stats', kind: 'choice', choices: ['freeze', 'update', 'reset'], default: 'update', section: 'Strategy',
    help: 'BN statistics in the groups that train',
    details: `freeze  keep the moving statistics
update  normalise with batch statistics and update them
reset   first re-estimate them on the training images (AdaBN exact, no
        augmentation), then update them
BN in frozen groups always keeps its statistics and affine.`,
  },
  { field: 'bnAffine', flag: 'bn-affine', kind: 'choice', choices: ['train', 'freeze'], default: 'train', section: 'Strategy', help: 'whether BN gamma and beta train' },
  {
    field: 'bnMomentum', flag: 'bn-momentum', kind: 'number', placeholder: 'X', min: 0, max: 1, default: 0.9, section: 'Strategy',
    help: "fraction of the moving average kept per step, Keras convention (PyTorch's momentum is 1 − X)",
    details: `The default is PyTorch's 0.1: models often carry Keras's 0.99, which
after a short fine-tune leaves the statistics mostly those of the old
domain.`,
  },
  {
    field: 'bnEps', flag: 'bn-eps', kind: 'number', placeholder: 'X', greaterThan: 0, section: 'Strategy',
    help: "BN epsilon in the groups that train (default: the model's own)",
    details: `Per-group BN policies (stats, affine, momentum, epsilon) are set in a
workflow's train step: bn: {default: {...}, groups: {stem: {...}}}.`,
  },

  { ...seedOption, help: 'shuffle and augmentation seed' },
  { field: 'augment', flag: 'no-augment', kind: 'flag', negated: true, default: true, section: 'Other', help: 'no random crops, flips or colour jitter' },
  { field: 'shuffle', flag: 'no-shuffle', kind: 'flag', negated: true, default: true, section: 'Other', help: 'visit images in folder order' },

  {
    ...outOption,
    details: `a new or empty folder, or with --overwrite a model Calibra wrote
(never anything else, nor a folder inside --model, --data or --val)`,
  },
  overwriteOption,
  {
    field: 'checkpointEvery', flag: 'checkpoint-every', kind: 'integer', placeholder: 'N', min: 1, section: 'Output',
    help: 'also checkpoint every N optimizer steps',
    details: `A checkpoint (weights, optimizer state, data position) is written under
$CALIBRA_HOME/checkpoints/RUN at each epoch's end and when Ctrl+C
stops the run; 'calibra runs resume RUN' continues a stopped or
killed run exactly where it was. A finished run's is removed.`,
  },
  {
    field: 'featureCache', flag: 'feature-cache', kind: 'choice', choices: ['on', 'off'], section: 'Feature cache',
    help: "compute the frozen part's features once per image and train the head on them",
    details: `instead of running the backbone forward every epoch. It applies where
everything below the first layer that trains is frozen with its BN
statistics (--freeze backbone, whatever --bn-stats says) in a run of one
stage; default on wherever it applies, and 'on' elsewhere is an error
saying why. Kept under $CALIBRA_HOME/feature-cache and reused while the
model, the images, the preprocessing and the augmentation stay the same.`,
  },
  {
    field: 'featureCacheViews', flag: 'feature-cache-views', kind: 'integer', placeholder: 'V', min: 1, section: 'Feature cache',
    help: 'with augmentation, the cache holds V fixed augmented views of each image (default 5)',
    details: `and each epoch shows one of them, drawn by --seed: a cached run sees V
fixed views instead of fresh ones every epoch. Without augmentation it
holds the image itself and the run is the same as without the cache.`,
  },
] as const satisfies readonly OptionSpec[];
