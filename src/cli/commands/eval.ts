import { evalStepSchema } from '../../workflows/schema.js';
import { stepOptions } from '../step-options.js';
import { EVAL_OPTIONS } from '../../options/eval.js';
import { flagTable } from '../../options/flag-table.js';
import { flagValues } from '../../options/flag-values.js';
import { flagSections, helpRow } from '../../options/help-text.js';
import type { Command } from '../command.js';
import { CONFUSION_MAX_CLASSES, confusionText, errorsText, perClassText } from '../eval-text.js';
import { count, percent, plural } from '../format.js';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'accuracy of a model on a labelled image folder',
  usage: `Usage: calibra eval --model M --data DIR [--class-map NEW=OLD,…] [--preprocess P]
                    [--batch B] [--bn-check] [--errors] [--trust-weights] [--json]

Runs the model in inference mode (moving BN statistics) over DIR, which holds one folder per
class named like the model's classes (the digits models: DIR/0 … DIR/9), and reports the
accuracy, each class's accuracy (its recall), precision and F1, and the confusion matrix (on the
terminal up to ${CONFUSION_MAX_CLASSES} classes; in --json always, over the classes that occur as true or
predicted). Unreadable files and
folders are skipped and listed; a DIR in which nothing can be read is an error (exit 2). Files
not named as images (.svg, no extension) and hidden ones are not read, only counted.

${flagSections(EVAL_OPTIONS)}
Result
${helpRow('--json', 'print {"accuracy","n","perClass","confusion","backend",…} as the last stdout line', `perClass: {"CLASS":{"accuracy","n","precision","recall","f1"}} (accuracy is
the class's recall); confusion: {"classes":[…],"matrix":[[…]]}, rows the true
class, columns the predicted one; with --errors also
"errors":[{"path","true","predicted","probability"}]; with --bn-check also
"bnCheck":{"batchStatsAccuracy","movingStatsAccuracy","gap","advice",…}`)}`,
  options: flagTable(EVAL_OPTIONS),
  async run(ctx) {
    const options = stepOptions(evalStepSchema, flagValues(EVAL_OPTIONS, ctx.values));
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
