import { InputError } from '../../errors.js';
import { RunStore, type RunRecord } from '../../store/run-store.js';
import type { Command } from '../command.js';
import { resumeRun } from './runs-resume.js';

function headline(r: RunRecord): string {
  const res = r.result ?? {};
  const acc = typeof res.val_accuracy === 'number' ? `val ${(100 * res.val_accuracy).toFixed(1)}%`
    : typeof res.accuracy === 'number' ? `acc ${(100 * res.accuracy).toFixed(1)}%` : '';
  const ips = typeof res.images_per_second === 'number' ? `${res.images_per_second.toFixed(1)} img/s` : '';
  return [r.id, r.command.padEnd(6), r.status.padEnd(8), r.backend.padEnd(7), acc.padEnd(11), ips.padEnd(12), r.status === 'failed' ? r.error ?? '' : String(r.config.data ?? '')].join('  ');
}

export const runsCommand: Command = {
  name: 'runs',
  summary: 'the run history: every train and eval, with config, metrics and lineage',
  usage: `Usage: calibra runs [list | show ID] [--json]

Runs are kept in $CALIBRA_HOME/runs.json (default ~/.calibra). 'show' takes a full id or a
unique prefix of one.`,
  options: {},
  positionals: true,
  async run(ctx) {
    const [verb = 'list', id, ...rest] = ctx.positionals;
    if (rest.length > 0) throw new InputError(`runs: unexpected '${rest.join(' ')}'`);
    if (verb === 'resume') return resumeRun(ctx, id);
    const store = new RunStore();
    if (verb === 'list') {
      const runs = await store.list();
      const text = runs.length === 0 ? `no runs yet (${store.file})` : runs.map(headline).join('\n');
      return { json: { runs }, text };
    }
    if (verb !== 'show') throw new InputError(`runs ${verb}: expected list or show ID`);
    if (!id) throw new InputError('runs show: give a run id (see calibra runs)');
    const matches = await store.find(id);
    if (matches.length === 0) throw new InputError(`runs show ${id}: no such run in ${store.file}`);
    if (matches.length > 1) throw new InputError(`runs show ${id}: ${matches.length} runs start with that; give more of the id`);
    const run = matches[0]!;
    const epochs = run.epochs.map((e) => `  epoch ${e.epoch}: loss ${e.loss.toFixed(4)}  train ${(100 * e.accuracy).toFixed(1)}%${e.valAccuracy === undefined ? '' : `  val ${(100 * e.valAccuracy).toFixed(1)}%`}  ${e.imagesPerSecond.toFixed(1)} img/s`);
    const text = [headline(run), `started ${run.startedAt}, ${run.seconds} s`, `config ${JSON.stringify(run.config)}`, ...epochs,
      `lineage: parent ${run.lineage.parentModel ?? '—'}, dataset ${run.lineage.dataset ?? '—'}, output ${run.lineage.outputModel ?? '—'}`].join('\n');
    return { json: { run }, text };
  },
};
