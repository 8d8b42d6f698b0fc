// Adaptation on real photos (ants/bees) with two real ImageNet models, through the real CLI, as
// one markdown table of val accuracy. See USAGE for what is measured and with which settings.
import { join, resolve } from 'node:path';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { InputError } from '../src/errors.js';
import { RESIZE_MODES, type ResizeMode } from '../src/data/decode.js';
import { CliSession } from './lib/cli-session.js';
import { markdownTable, percent } from './lib/markdown.js';
import { intFlag, positiveFlag, scriptMain } from './lib/script-main.js';

const USAGE = `Usage: node dist/scripts/real-photos.js [flags]

On the hymenoptera photos (ASSETS/datasets/hymenoptera: train 245, val 153, classes ants and
bees), reports val accuracy (calibra eval, inference mode) for:
  (a) MobileNetV2-0.35 (Teachable Machine export, input [-1,1] from its metadata.json): a new
      ants/bees head trained on train (--freeze backbone --bn-stats freeze)
  (b) the same, after AdaBN exact on the val images (recalibrate --images val: no labels used,
      but transductive: the statistics come from the very images scored)
  (c) darknet-tiny zero-shot (eval --class-map ants=ant,bees=bee), as shipped and after AdaBN
      exact on the val images
  (d) darknet-tiny with a head started from its ant and bee rows (train --class-map
      ants=ant,bees=bee --freeze backbone --bn-stats freeze) on train, as shipped and after
      AdaBN exact on the val images
and, for (a), (c) and (d), the same model scored with test-time augmentation (eval --tta flip:
the mean of each image's and its mirror's probabilities).
Every model reads images with --preprocess RESIZE (the models' own scaling is kept). Every
train runs a fixed --epochs (nothing is selected on val: it is the test set) with --batch,
--lr, --optimizer, --weight-decay, --schedule, --label-smoothing, --seed 0 and Calibra's default
augmentation. The head trains on the feature cache (train's default for a frozen backbone with
frozen statistics): 5 fixed augmented views of each training image, one per epoch.

Each command is printed to stderr as it runs; all run with CALIBRA_HOME=WORK/calibra-home.
Any failing command stops the script with exit 1 and its stderr.

Flags
  --assets DIR       the shared assets folder (default /work/shared/assets)
  --epochs N         (default 4)
  --batch B          (default 32)
  --lr X             (default 0.003)
  --optimizer NAME   adam, adamw or sgd (default adamw)
  --weight-decay X   (default 0.01)
  --schedule NAME    (default cosine)
  --label-smoothing X
                     (default 0.1)
  --resize MODE      how every model reads images: ${RESIZE_MODES.join(', ')}
                     (default center-crop-0.875, the ImageNet evaluation crop)
  --work DIR         models written here (default /tmp/calibra-real-photos); re-running
                     replaces what an earlier run wrote there
  --backend NAME     passed to every command
  --json-out FILE    also write settings, accuracies and commands as JSON
  --print-commands   also print every command after the table, on stdout
  --help`;

const SEED = 0;
const CLASS_MAP = 'ants=ant,bees=bee';

interface Score {
  accuracy: number;
  n: number;
  perClass: { ants: number; bees: number };
}

interface Row extends Score {
  id: string;
  model: string;
  adaptation: string;
  data: string;
}

await scriptMain(USAGE, {
  assets: { type: 'string', default: '/work/shared/assets' },
  epochs: { type: 'string', default: '4' },
  batch: { type: 'string', default: '32' },
  lr: { type: 'string', default: '0.003' },
  optimizer: { type: 'string', default: 'adamw' },
  'weight-decay': { type: 'string', default: '0.01' },
  schedule: { type: 'string', default: 'cosine' },
  'label-smoothing': { type: 'string', default: '0.1' },
  resize: { type: 'string', default: 'center-crop-0.875' },
  work: { type: 'string', default: '/tmp/calibra-real-photos' },
  backend: { type: 'string' },
  'json-out': { type: 'string' },
  'print-commands': { type: 'boolean' },
}, async (values) => {
  const assets = resolve(String(values.assets));
  const data = join(assets, 'datasets', 'hymenoptera');
  const mobilenet = join(assets, 'models', 'mobilenet-v2-0.35-tm');
  const darknet = join(assets, 'models', 'darknet-tiny');
  for (const p of [join(data, 'train'), join(data, 'val'), mobilenet, darknet]) {
    if (!existsSync(p)) throw new InputError(`--assets: ${p} does not exist`);
  }
  const resize = String(values.resize);
  if (!(RESIZE_MODES as readonly string[]).includes(resize)) throw new InputError(`--resize ${resize}: expected one of ${RESIZE_MODES.join(', ')}`);
  const settings = {
    epochs: intFlag(values, 'epochs', 1), batch: intFlag(values, 'batch', 1), lr: positiveFlag(values, 'lr'), seed: SEED,
    optimizer: String(values.optimizer), weightDecay: String(values['weight-decay']), schedule: String(values.schedule),
    labelSmoothing: String(values['label-smoothing']), resize: resize as ResizeMode, augment: true,
  };
  const recipe = ['--optimizer', settings.optimizer, '--weight-decay', settings.weightDecay, '--schedule', settings.schedule, '--label-smoothing', settings.labelSmoothing];
  const preprocess = ['--preprocess', settings.resize];
  const work = resolve(String(values.work));
  mkdirSync(work, { recursive: true });
  const session = new CliSession({ home: join(work, 'calibra-home'), backend: values.backend as string | undefined, log: (l) => process.stderr.write(`${l}\n`) });
  process.stderr.write(`${session.envLine}\n`);
  const started = Date.now();

  const val = join(data, 'val');
  // The shipped models carry no resize mode of their own, so every command that reads one is
  // told; a model Calibra wrote keeps the mode in its manifest.
  const evaluate = async (model: string, extra: string[] = []): Promise<Score> => {
    const json = await session.run(['eval', '--model', model, '--data', val, ...extra]);
    const perClass = json.perClass as Record<string, { accuracy: number }> | undefined;
    if (typeof json.accuracy !== 'number' || typeof json.n !== 'number' || typeof perClass?.ants?.accuracy !== 'number' || typeof perClass.bees?.accuracy !== 'number') {
      throw new Error(`eval of ${model} printed no accuracy or n, or none for ants and bees: ${JSON.stringify(json).slice(0, 300)}`);
    }
    return { accuracy: json.accuracy, n: json.n, perClass: { ants: perClass.ants.accuracy, bees: perClass.bees.accuracy } };
  };
  const recalibrate = async (model: string, out: string) => {
    await session.run(['recalibrate', '--model', model, '--images', val, '--out', join(work, out), '--mode', 'exact', ...preprocess, '--overwrite']);
    return join(work, out);
  };
  const trainHead = async (model: string, out: string, extra: string[] = []) => {
    await session.run(['train', '--model', model, '--data', join(data, 'train'), '--out', join(work, out), ...extra, ...preprocess,
      '--freeze', 'backbone', '--bn-stats', 'freeze', '--epochs', String(settings.epochs), '--batch', String(settings.batch),
      '--lr', String(settings.lr), ...recipe, '--seed', String(SEED), '--overwrite']);
    return join(work, out);
  };

  const rows: Row[] = [];
  const add = (id: string, model: string, adaptation: string, dataUsed: string, r: Score) => {
    rows.push({ id, model, adaptation, data: dataUsed, ...r });
  };
  const classMap = ['--class-map', CLASS_MAP];
  const tta = ['--tta', 'flip'];
  const mnv2Head = await trainHead(mobilenet, 'mnv2-head');
  add('a', 'MobileNetV2-0.35 TM', 'new head on train', 'train', await evaluate(mnv2Head));
  add('a tta', 'MobileNetV2-0.35 TM', 'new head on train; eval --tta flip', 'train', await evaluate(mnv2Head, tta));
  add('b', 'MobileNetV2-0.35 TM', 'AdaBN exact on val, then new head on train', 'train+val images', await evaluate(await trainHead(await recalibrate(mobilenet, 'mnv2-adabn'), 'mnv2-adabn-head')));
  add('c', 'darknet-tiny', `zero-shot, --class-map ${CLASS_MAP}`, 'none', await evaluate(darknet, [...classMap, ...preprocess]));
  add('c tta', 'darknet-tiny', `zero-shot, --class-map ${CLASS_MAP}; eval --tta flip`, 'none', await evaluate(darknet, [...classMap, ...preprocess, ...tta]));
  const darknetAdabn = await recalibrate(darknet, 'darknet-adabn');
  add('c+', 'darknet-tiny', `AdaBN exact on val, then zero-shot --class-map ${CLASS_MAP}`, 'val images', await evaluate(darknetAdabn, classMap));
  const darknetHead = await trainHead(darknet, 'darknet-head', classMap);
  add('d', 'darknet-tiny', `head from --class-map ${CLASS_MAP}, trained on train`, 'train', await evaluate(darknetHead));
  add('d tta', 'darknet-tiny', `head from --class-map ${CLASS_MAP}, trained on train; eval --tta flip`, 'train', await evaluate(darknetHead, tta));
  add('d+', 'darknet-tiny', `AdaBN exact on val, then head from --class-map ${CLASS_MAP} on train`, 'train+val images', await evaluate(await trainHead(darknetAdabn, 'darknet-adabn-head', classMap)));

  const lines = [
    '## Val accuracy (%) on hymenoptera (153 photos: 70 ants, 83 bees)',
    '',
    `- every model reads images with --preprocess ${settings.resize}`,
    `- head training: --freeze backbone --bn-stats freeze, ${settings.optimizer}, weight decay ${settings.weightDecay}, ${settings.schedule} schedule, label smoothing ${settings.labelSmoothing}, ${settings.epochs} epochs (fixed), batch ${settings.batch}, lr ${settings.lr}, seed ${SEED}, default augmentation; train = 245 photos`,
    '- AdaBN: recalibrate --mode exact on the 153 val photos (their labels unused; transductive)',
    '',
    markdownTable(['', 'model', 'adaptation', 'data used', 'val', 'correct', 'ants', 'bees'],
      rows.map((r) => [r.id, r.model, r.adaptation, r.data, percent(r.accuracy), `${Math.round(r.accuracy * r.n)}/${r.n}`, percent(r.perClass.ants), percent(r.perClass.bees)])),
    '',
    `${session.commands.length} commands, ${((Date.now() - started) / 60_000).toFixed(1)} min`,
  ];
  if (values['print-commands']) lines.push('', '```sh', session.envLine, ...session.commands, '```');
  process.stdout.write(`${lines.join('\n')}\n`);

  if (typeof values['json-out'] === 'string') {
    writeFileSync(values['json-out'], `${JSON.stringify({ settings: { ...settings, assets, work }, results: rows, env: session.envLine, commands: session.commands }, null, 2)}\n`);
  }
});
