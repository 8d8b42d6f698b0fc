// `eval`'s options: its flags, its --help and the fields of a preset's eval step.
import type { OptionSpec } from './option-spec.js';
import { batchOption, classMapOption, modelOption, preprocessOption, trustWeightsOption } from './shared.js';

export const EVAL_OPTIONS = [
  modelOption,
  { field: 'data', flag: 'data', kind: 'path', placeholder: 'DIR', required: true, section: 'Input', help: 'labelled folder: one subfolder per class' },
  { ...batchOption, default: 64 },
  {
    ...classMapOption, mapping: true,
    help: 'zero-shot on folders named differently: the model answers only among the mapped classes OLD (names, or indices), scored as folders NEW',
    details: `or @file.json holding {"NEW": "OLD", …}. E.g. an ImageNet model on
ants/bees: --class-map ants=ant,bees=bee`,
  },
  preprocessOption,
  {
    field: 'tta', flag: 'tta', kind: 'choice', choices: ['none', 'flip'], section: 'Input',
    help: "test-time augmentation: flip scores each image by the mean of its and its left-right mirror's class probabilities",
    details: `(two forward passes; default none). Only where a mirrored image keeps
its class (not digits or text).`,
  },
  trustWeightsOption,
  {
    field: 'bnCheck', flag: 'bn-check', kind: 'flag', default: false, section: 'Report',
    help: 'also score the same images with BN in training mode (batch statistics; nothing is updated) and compare',
    details: `Batch statistics depend on the batch's size and class mix: the images
are shuffled with a fixed seed into batches of B. A gap above 5 points
means the moving statistics do not describe DIR: recalibrate.`,
  },
  {
    field: 'errors', flag: 'errors', kind: 'flag', default: false, section: 'Report',
    help: 'also list every misclassified file with its true class, the predicted class and the probability the model gave it',
  },
] as const satisfies readonly OptionSpec[];
