import { InputError } from '../../errors.js';
import { compareRuns } from '../../store/compare-runs.js';
import { RunStore } from '../../store/run-store.js';
import type { Command } from '../command.js';
import { resumeRun } from './runs-resume.js';
import { compareText, listText, showText } from '../runs-text.js';

export const runsCommand: Command = {
  name: 'runs',
  summary: 'the run history: every train and eval, with config, metrics and lineage',
  usage: `Usage: calibra runs [list | show ID | compare A B | resume ID] [--json]

  list          every run, oldest first: its short id, when it started (local time), command,
                model, data, status and headline figure (val accuracy of a train, accuracy of an
                eval, images of a recalibrate, inspect or adapt)
  show ID       one run: its config, per-epoch table (loss, train and val accuracy, img/s and
                seconds of each epoch), result and lineage
  compare A B   the settings in which two runs differ, and their figures and epochs side by side
  resume ID     continue a stopped or killed train from its last checkpoint, with the same
                options and --out, as a new run

Runs are kept in $CALIBRA_HOME/runs.json (default ~/.calibra). An ID is a run's full id, a
prefix of it, or the short id that 'list' shows.

  --json        list: {"runs":[…]}; show: {"run":{…}};
                compare: {"a","b","config":[{"key","a","b"}],"metrics":{"NAME":{"a","b"}},"epochs":[…]}`,
  options: {},
  positionals: true,
  async run(ctx) {
    const [verb = 'list', ...args] = ctx.positionals;
    const store = new RunStore();
    const expect = (n: number, what: string) => {
      if (args.length < n) throw new InputError(`runs ${verb}: give ${what} (see calibra runs)`);
      if (args.length > n) throw new InputError(`runs ${verb}: unexpected '${args.slice(n).join(' ')}'`);
    };
    if (verb === 'resume') {
      if (args.length > 1) throw new InputError(`runs resume: unexpected '${args.slice(1).join(' ')}'`);
      return resumeRun(ctx, args[0]);
    }
    if (verb === 'list') {
      expect(0, '');
      const runs = await store.list();
      // On a terminal each run keeps to one line; a pipe gets the names whole.
      const width = process.stdout.isTTY ? process.stdout.columns : Infinity;
      return { json: { runs }, text: runs.length === 0 ? `no runs yet (${store.file})` : listText(runs, width) };
    }
    if (verb === 'show') {
      expect(1, 'a run id');
      const run = await store.findOne(args[0]!, `runs ${verb}`);
      return { json: { run }, text: showText(run) };
    }
    if (verb === 'compare') {
      expect(2, 'two run ids');
      const [a, b] = [await store.findOne(args[0]!, `runs ${verb}`), await store.findOne(args[1]!, `runs ${verb}`)];
      const comparison = compareRuns(a, b);
      return { json: { a: a.id, b: b.id, ...comparison }, text: compareText(a, b, comparison) };
    }
    throw new InputError(`runs ${verb}: expected list, show ID or compare A B`);
  },
};
