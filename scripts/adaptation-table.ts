// Every adaptation method against every synthetic digit domain, through the real CLI, as one
// markdown table of held-out accuracy. See USAGE for what is measured and with which settings.
import { join, resolve } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { DOMAIN_IDS, SOURCE_DOMAIN_ID } from '../src/data/synth/domains.js';
import { InputError } from '../src/errors.js';
import { CliSession } from './lib/cli-session.js';
import { markdownTable, percent } from './lib/markdown.js';
import { meanPerKey } from './lib/summary.js';
import { intFlag, positiveFlag, scriptMain } from './lib/script-main.js';

const USAGE = `Usage: node dist/scripts/adaptation-table.js [flags]

For MODEL (default: the shipped digits-resnet, trained on 'clean' only) and each synthetic
domain, draws three disjoint sets with 'calibra data synth' (fixed seeds, so every run draws the
same images):
  test      labelled, held out, never adapted on          --test-per-class  (seed 2)
  pool      unlabelled target pool for AdaBN and TENT      --pool-per-class  (seed 1)
  labelled  small labelled set for fine-tuning             --labelled-per-class (seed 3)
and reports accuracy on 'test' (calibra eval, inference mode) for:
  source-only    MODEL as shipped
  AdaBN fast     recalibrate --mode fast on pool
  AdaBN exact    recalibrate --mode exact on pool
  TENT           adapt --method tent on pool (batch 64, lr 0.001, --tent-steps steps)
  head FT        train --freeze backbone --bn-stats freeze on labelled, lr --head-lr
  AdaBN→head FT  the same, starting from the AdaBN exact model
  full FT        train --freeze none --bn-stats update on labelled, lr --full-lr
Every train uses Adam, --epochs, --batch, --seed 0 and --no-augment (the augmentation's flips
turn digits into other digits or non-digits). 'clean' is the control: there is no shift to adapt to.
The mean row averages the shifted domains only.

Each command is printed to stderr as it runs; all run with CALIBRA_HOME=WORK/calibra-home, so
their runs stay out of ~/.calibra. Any failing command stops the script with exit 1 and its stderr.

Flags
  --model M                 zoo id or model.json (default digits-resnet)
  --domains D,...           (default all: ${DOMAIN_IDS.join(',')})
  --test-per-class N        (default 50)
  --pool-per-class N        (default 50)
  --labelled-per-class N    (default 10)
  --epochs N                epochs of every fine-tune (default 20)
  --batch B                 fine-tune batch (default 20)
  --head-lr X               (default 0.01)
  --full-lr X               (default 0.003)
  --tent-steps N            (default: one pass over the pool)
  --work DIR                generated sets and models (default /tmp/calibra-adaptation-table);
                            re-running replaces what an earlier run wrote there
  --backend NAME            passed to every command
  --json-out FILE           also write settings, accuracies and commands as JSON
  --print-commands          also print every command after the table, on stdout
  --help`;

const SEEDS = { test: 2, pool: 1, labelled: 3, train: 0 } as const;
/** TENT's own defaults, passed explicitly so the printed settings are the ones that ran. */
const TENT = { batch: 64, lr: 0.001 } as const;

const METHODS = [
  { id: 'source', title: 'source-only' },
  { id: 'adabnFast', title: 'AdaBN fast' },
  { id: 'adabnExact', title: 'AdaBN exact' },
  { id: 'tent', title: 'TENT' },
  { id: 'head', title: 'head FT' },
  { id: 'adabnHead', title: 'AdaBN→head FT' },
  { id: 'full', title: 'full FT' },
] as const;
type MethodId = (typeof METHODS)[number]['id'];
type Accuracies = Record<MethodId, number>;

interface Settings {
  model: string;
  domains: string[];
  testPerClass: number;
  poolPerClass: number;
  labelledPerClass: number;
  epochs: number;
  batch: number;
  headLr: number;
  fullLr: number;
  tentSteps: number | null;
  work: string;
}

function settingsFrom(values: Record<string, string | boolean | undefined>): Settings {
  const domains = String(values.domains).split(',').filter((d) => d !== '');
  const unknown = domains.filter((d) => !DOMAIN_IDS.includes(d));
  if (domains.length === 0 || unknown.length > 0) throw new InputError(`--domains: unknown domain '${unknown[0] ?? ''}' (known: ${DOMAIN_IDS.join(', ')})`);
  return {
    model: String(values.model),
    domains,
    testPerClass: intFlag(values, 'test-per-class', 1),
    poolPerClass: intFlag(values, 'pool-per-class', 1),
    labelledPerClass: intFlag(values, 'labelled-per-class', 1),
    epochs: intFlag(values, 'epochs', 1),
    batch: intFlag(values, 'batch', 1),
    headLr: positiveFlag(values, 'head-lr'),
    fullLr: positiveFlag(values, 'full-lr'),
    tentSteps: values['tent-steps'] === undefined ? null : intFlag(values, 'tent-steps', 1),
    work: resolve(String(values.work)),
  };
}

async function measureDomain(session: CliSession, s: Settings, domain: string): Promise<Accuracies> {
  const dir = (name: string) => join(s.work, domain, name);
  const synth = (name: string, perClass: number, seed: number) =>
    session.run(['data', 'synth', '--domain', domain, '--out', dir(name), '--per-class', String(perClass), '--seed', String(seed), '--overwrite']);
  await synth('test', s.testPerClass, SEEDS.test);
  await synth('pool', s.poolPerClass, SEEDS.pool);
  await synth('labelled', s.labelledPerClass, SEEDS.labelled);

  const evaluate = (model: string) => session.measure(['eval', '--model', model, '--data', dir('test')], 'accuracy');
  const recalibrate = async (mode: 'fast' | 'exact') => {
    await session.run(['recalibrate', '--model', s.model, '--images', dir('pool'), '--out', dir(`adabn-${mode}`), '--mode', mode, '--overwrite']);
    return dir(`adabn-${mode}`);
  };
  const train = async (from: string, out: string, strategy: string[], lr: number) => {
    await session.run(['train', '--model', from, '--data', dir('labelled'), '--out', dir(out), ...strategy,
      '--epochs', String(s.epochs), '--batch', String(s.batch), '--lr', String(lr), '--seed', String(SEEDS.train), '--no-augment', '--overwrite']);
    return dir(out);
  };
  const headOnly = ['--freeze', 'backbone', '--bn-stats', 'freeze'];

  const source = await evaluate(s.model);
  const adabnFast = await evaluate(await recalibrate('fast'));
  const exactModel = await recalibrate('exact');
  const adabnExact = await evaluate(exactModel);
  await session.run(['adapt', '--method', 'tent', '--model', s.model, '--images', dir('pool'), '--out', dir('tent'),
    '--batch', String(TENT.batch), '--lr', String(TENT.lr), '--seed', String(SEEDS.train), '--overwrite',
    ...(s.tentSteps === null ? [] : ['--steps', String(s.tentSteps)])]);
  const tent = await evaluate(dir('tent'));
  const head = await evaluate(await train(s.model, 'head', headOnly, s.headLr));
  const adabnHead = await evaluate(await train(exactModel, 'adabn-head', headOnly, s.headLr));
  const full = await evaluate(await train(s.model, 'full', ['--freeze', 'none', '--bn-stats', 'update'], s.fullLr));
  return { source, adabnFast, adabnExact, tent, head, adabnHead, full };
}

function settingsLines(s: Settings): string[] {
  return [
    `model ${s.model}; held-out test ${s.testPerClass}/class (seed ${SEEDS.test}); unlabelled pool ${s.poolPerClass}/class (seed ${SEEDS.pool}); labelled ${s.labelledPerClass}/class (seed ${SEEDS.labelled})`,
    `AdaBN on the pool; TENT on the pool, Adam, batch ${TENT.batch}, lr ${TENT.lr}, ${s.tentSteps === null ? 'one pass' : `${s.tentSteps} steps`}`,
    `fine-tunes: Adam, ${s.epochs} epochs, batch ${s.batch}, seed ${SEEDS.train}, no augmentation; head lr ${s.headLr} (BN frozen), full lr ${s.fullLr} (BN update)`,
  ];
}

await scriptMain(USAGE, {
  model: { type: 'string', default: 'digits-resnet' },
  domains: { type: 'string', default: DOMAIN_IDS.join(',') },
  'test-per-class': { type: 'string', default: '50' },
  'pool-per-class': { type: 'string', default: '50' },
  'labelled-per-class': { type: 'string', default: '10' },
  epochs: { type: 'string', default: '20' },
  batch: { type: 'string', default: '20' },
  'head-lr': { type: 'string', default: '0.01' },
  'full-lr': { type: 'string', default: '0.003' },
  'tent-steps': { type: 'string' },
  work: { type: 'string', default: '/tmp/calibra-adaptation-table' },
  backend: { type: 'string' },
  'json-out': { type: 'string' },
  'print-commands': { type: 'boolean' },
}, async (values) => {
  const s = settingsFrom(values);
  mkdirSync(s.work, { recursive: true });
  const session = new CliSession({ home: join(s.work, 'calibra-home'), backend: values.backend as string | undefined, log: (l) => process.stderr.write(`${l}\n`) });
  process.stderr.write(`${session.envLine}\n`);

  const started = Date.now();
  const results: { domain: string; accuracy: Accuracies }[] = [];
  for (const domain of s.domains) {
    process.stderr.write(`== ${domain}\n`);
    results.push({ domain, accuracy: await measureDomain(session, s, domain) });
  }
  const shifted = results.filter((r) => r.domain !== SOURCE_DOMAIN_ID);
  const mean = shifted.length > 0 ? (meanPerKey(shifted.map((r) => r.accuracy)) as Accuracies) : null;

  const rows = results.map((r) => [r.domain, ...METHODS.map((m) => percent(r.accuracy[m.id]))]);
  if (mean !== null) rows.push([`mean of ${shifted.length} shifted`, ...METHODS.map((m) => percent(mean[m.id]))]);
  const lines = [
    '## Accuracy (%) on the held-out test set',
    '',
    ...settingsLines(s).map((l) => `- ${l}`),
    '',
    markdownTable(['domain', ...METHODS.map((m) => m.title)], rows),
    '',
    `${session.commands.length} commands, ${((Date.now() - started) / 60_000).toFixed(1)} min`,
  ];
  if (values['print-commands']) lines.push('', '```sh', session.envLine, ...session.commands, '```');
  process.stdout.write(`${lines.join('\n')}\n`);

  if (typeof values['json-out'] === 'string') {
    writeFileSync(values['json-out'], `${JSON.stringify({
      settings: { ...s, seeds: SEEDS, tent: TENT, optimizer: 'adam', augment: false },
      methods: METHODS, results, meanShifted: mean, env: session.envLine, commands: session.commands,
    }, null, 2)}\n`);
  }
});
