// The train options the strategy form offers, declared in the shape every option takes
// (options/option-spec.ts), so the form is generated from declarations rather than written
// field by field. These are local until the shared declarations of the train flags land.
import type { OptionSpec } from '../../../options/option-spec.js';
import { SCHEDULES } from '../../../train/schedule.js';

export const STRATEGY_OPTIONS: readonly OptionSpec[] = [
  { field: 'freeze', flag: 'freeze', kind: 'text', default: 'none', placeholder: 'none|backbone|last:N', help: 'which layer groups train: none frozen, the head only (backbone), or the last N', section: 'Train' },
  { field: 'bnStats', flag: 'bn-stats', kind: 'choice', choices: ['freeze', 'update', 'reset'], default: 'update', help: 'BN statistics of the groups that train: keep, move with batch statistics, or re-estimate first', section: 'BN' },
  { field: 'bnAffine', flag: 'bn-affine', kind: 'choice', choices: ['train', 'freeze'], default: 'train', help: 'BN gamma and beta of the groups that train', section: 'BN' },
  { field: 'batch', flag: 'batch', kind: 'integer', min: 1, default: 32, placeholder: 'B', help: 'images per pass', section: 'Batch' },
  { field: 'accum', flag: 'accum', kind: 'integer', min: 1, default: 1, placeholder: 'K', help: 'passes per optimizer step (gradient accumulation)', section: 'Batch' },
  { field: 'optimizer', flag: 'optimizer', kind: 'choice', choices: ['sgd', 'adam', 'adamw'], default: 'adam', help: 'the optimizer', section: 'Optimizer' },
  { field: 'lr', flag: 'lr', kind: 'number', min: 0, placeholder: 'X', help: "base learning rate; the optimizer's default when empty", section: 'Optimizer' },
  { field: 'weightDecay', flag: 'weight-decay', kind: 'number', min: 0, default: 0, placeholder: 'X', help: 'weight decay (never on biases and BN gamma/beta)', section: 'Optimizer' },
  { field: 'schedule', flag: 'schedule', kind: 'choice', choices: SCHEDULES, default: 'constant', help: 'learning rate over the run', section: 'Optimizer' },
  { field: 'warmup', flag: 'warmup', kind: 'integer', min: 0, default: 0, placeholder: 'N', help: 'optimizer steps of linear warm-up', section: 'Optimizer' },
  { field: 'epochs', flag: 'epochs', kind: 'integer', min: 1, default: 1, placeholder: 'N', help: 'passes over the training images', section: 'Epochs' },
  { field: 'keep', flag: 'keep', kind: 'choice', choices: ['best', 'last'], help: 'which epoch to save: best on validation (what happens when unset), or the last', section: 'Epochs' },
  { field: 'patience', flag: 'patience', kind: 'integer', min: 1, placeholder: 'N', help: 'stop after N epochs without improvement; never when empty', section: 'Epochs' },
];

/** Options that judge epochs on validation, offered only when there is some. */
export const NEEDS_VALIDATION: ReadonlySet<string> = new Set(['keep', 'patience']);

/** Options a staged preset sets per stage, so the form shows them and does not edit them. */
export const SET_BY_STAGES: ReadonlySet<string> = new Set(['freeze', 'epochs']);
