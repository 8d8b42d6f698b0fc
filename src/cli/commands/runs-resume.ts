// `calibra runs resume ID`: continues a stopped or killed train run from its checkpoint, with the
// options it was started with, as a new run whose lineage names the one it continues. A new
// record rather than a status change: the stopped run stays in the history as it happened (its
// time, its partial epoch), and the resumed run has its own process, timing and checkpoints.
import { InputError } from '../../errors.js';
import { RunStore, calibraHome } from '../../store/run-store.js';
import { trainStepSchema } from '../../workflows/schema.js';
import { runStep } from '../../workflows/runner.js';
import { requireCheckpoint } from '../../workflows/steps/train-resume.js';
import { checkpointDir } from '../../train/checkpoint.js';
import type { CommandContext, CommandResult } from '../command.js';
import { trainSummaryText } from './train.js';

export async function resumeRun(ctx: CommandContext, id: string | undefined): Promise<CommandResult> {
  if (!id) throw new InputError('runs resume: give the id of a stopped or killed train run (see calibra runs)');
  const store = new RunStore();
  const run = await store.findOne(id, 'runs resume');
  if (run.command !== 'train') throw new InputError(`runs resume ${run.id}: a ${run.command} run; only train runs resume`);
  if (run.status !== 'stopped' && run.status !== 'killed') {
    const why = run.status === 'finished' ? 'it finished, so there is nothing to continue'
      : run.status === 'running' ? 'it is still running'
      : `it failed (${run.error ?? 'no reason recorded'}); fix the cause and train again`;
    throw new InputError(`runs resume ${run.id}: ${why}; only a stopped or killed run resumes`);
  }
  const home = calibraHome();
  const checkpoint = await requireCheckpoint(home, run.id, ctx.log);
  const parsed = trainStepSchema.safeParse({ ...checkpoint.options, resume: run.id });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`runs resume ${run.id}: ${checkpointDir(home, run.id)}: option ${issue.path.join('.')}: ${issue.message}`);
  }
  const r = await runStep({ kind: 'train' as const, options: parsed.data }, ctx.env);
  return { json: { ...r, resumedFrom: run.id }, text: trainSummaryText(r) };
}
