import { evalStepSchema } from '../../workflows/schema.js';
import { flag, num, required, str } from '../flags.js';
import { stepOptions } from '../step-options.js';
import { preprocessHelp } from '../../models/preprocessing.js';
import type { Command } from '../command.js';
import { CONFUSION_MAX_CLASSES, confusionText, errorsText, perClassText } from '../eval-text.js';
import { count, percent, plural } from '../format.js';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'accuracy of a model on a labelled image folder',
  usage: `Usage: calibra eval --model M --data DIR [--class-map NEW=OLD,…] [--preprocess P]
                    [--batch B] [--tta none|flip] [--bn-check] [--errors] [--trust-weights] [--json]

Runs the model in inference mode (moving BN statistics) over DIR, which holds one folder per
class named like the model's classes (the digits models: DIR/0 … DIR/9), and reports the
accuracy, each class's accuracy (its recall), precision and F1, and the confusion matrix (on the
terminal up to ${CONFUSION_MAX_CLASSES} classes; in --json always, over the classes that occur as true or
predicted). Unreadable files and
folders are skipped and listed; a DIR in which nothing can be read is an error (exit 2). Files
not named as images (.svg, no extension) and hidden ones are not read, only counted.

  --model M     zoo id (see 'calibra models') or a tfjs model.json or its folder
  --data DIR    labelled folder: one subfolder per class
  --batch B     images per forward pass (default 64)
  --class-map NEW=OLD,…
                zero-shot on folders named differently: the model answers only among the
                mapped classes OLD (names, or indices), scored as folders NEW; or @file.json
                holding {"NEW": "OLD", …}. E.g. an ImageNet model on ants/bees:
                --class-map ants=ant,bees=bee
  --preprocess P
                model input from pixels, overriding what the model says:
                ${preprocessHelp('                ')}
  --tta none|flip
                test-time augmentation: flip scores each image by the mean of its and its
                left-right mirror's class probabilities (two forward passes; default none).
                Only where a mirrored image keeps its class (not digits or text)
  --trust-weights
                load M even if its weights do not match its manifest's content hash
  --bn-check    also score the same images with BN in training mode (batch statistics; nothing
                is updated) and compare. Batch statistics depend on the batch's size and class
                mix: the images are shuffled with a fixed seed into batches of B. A gap above 5
                points means the moving statistics do not describe DIR: recalibrate.
  --errors      also list every misclassified file with its true class, the predicted class
                and the probability the model gave it
  --json        print {"accuracy","n","perClass","confusion","backend",…} as the last stdout line:
                perClass: {"CLASS":{"accuracy","n","precision","recall","f1"}} (accuracy is
                the class's recall); confusion: {"classes":[…],"matrix":[[…]]}, rows the true
                class, columns the predicted one; with --errors also
                "errors":[{"path","true","predicted","probability"}]; with --bn-check also
                "bnCheck":{"batchStatsAccuracy","movingStatsAccuracy","gap","advice",…}`,
  options: { model: { type: 'string' }, data: { type: 'string' }, batch: { type: 'string' }, 'class-map': { type: 'string' }, preprocess: { type: 'string' }, tta: { type: 'string' }, 'trust-weights': { type: 'boolean' }, 'bn-check': { type: 'boolean' }, errors: { type: 'boolean' } },
  async run(ctx) {
    const options = stepOptions(evalStepSchema, {
      model: required(ctx.values, 'model', 'a zoo id or a model.json'),
      data: required(ctx.values, 'data', 'a folder with one subfolder per class'),
      batch: num(ctx.values, 'batch', 64, { min: 1, integer: true }),
      classMap: str(ctx.values, 'class-map'), preprocess: str(ctx.values, 'preprocess'),
      trustWeights: flag(ctx.values, 'trust-weights'),
      bnCheck: flag(ctx.values, 'bn-check'),
      errors: flag(ctx.values, 'errors'),
      tta: str(ctx.values, 'tta'),
    });
    const r = await ctx.runStep({ kind: 'eval' as const, options });
    const matrix = confusionText(r.confusion);
    const lines = [
      `accuracy ${percent(r.accuracy, 2)} on ${plural(r.n, 'image')} (${r.model}, ${r.backend}, ${r.images_per_second.toFixed(1)} img/s)`,
      ...perClassText(r.perClass),
      matrix === null ? `confusion matrix: ${r.confusion.classes.length} classes, more than ${CONFUSION_MAX_CLASSES} (see --json)` : 'confusion matrix (rows: true class, columns: predicted)',
      ...(matrix ?? []),
      ...(r.errors === undefined ? [] : r.errors.length === 0 ? ['misclassified: none'] : [`misclassified: ${count(r.errors.length)}`, ...errorsText(r.errors, options.data)]),
      ...(r.skipped.length ? [`skipped ${plural(r.skipped.length, 'unreadable file')}`] : []),
    ];
    const check = r.bnCheck === undefined ? ''
      : r.bnCheck === null ? '\nbn check: the model has no BN layers'
      : `\nbn check (batches of ${r.bnCheck.batch}, shuffled with seed ${r.bnCheck.seed}): batch statistics ${percent(r.bnCheck.batchStatsAccuracy, 2)}, moving statistics ${percent(r.bnCheck.movingStatsAccuracy, 2)}${r.bnCheck.advice ? `\n${r.bnCheck.advice}` : ''}`;
    return { json: { ...r }, text: lines.join('\n') + check };
  },
};
