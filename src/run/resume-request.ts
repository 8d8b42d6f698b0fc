// What `calibra runs resume ID` runs, and what the TUI's resume key runs: the stopped or killed
// train run's step, rebuilt from its checkpoint with the options it was started with. It becomes
// a new run whose lineage names the one it continues: the stopped run stays in the history as it
// happened (its time, its partial epoch), and the resumed one has its own process and timing.
import { InputError } from '../errors.js';
import { RunStore, calibraHome } from '../store/run-store.js';
import { trainStepSchema } from '../workflows/schema.js';
import { requireCheckpoint } from '../workflows/steps/train-resume.js';
import { checkpointDir } from '../train/checkpoint.js';
import type { RunRequest } from './run-api.js';

/** The request, and the full id of the run it continues (`id` may be a unique prefix). */
export async function resumeRequest(id: string, log: (line: string) => void = () => {}): Promise<RunRequest & { resumedFrom: string }> {
  const run = await new RunStore().findOne(id, 'runs resume');
  if (run.command !== 'train') throw new InputError(`runs resume ${run.id}: a ${run.command} run; only train runs resume`);
  if (run.status !== 'stopped' && run.status !== 'killed') {
    const why = run.status === 'finished' ? 'it finished, so there is nothing to continue'
      : run.status === 'running' ? 'it is still running'
      : `it failed (${run.error ?? 'no reason recorded'}); fix the cause and train again`;
    throw new InputError(`runs resume ${run.id}: ${why}; only a stopped or killed run resumes`);
  }
  const home = calibraHome();
  const checkpoint = await requireCheckpoint(home, run.id, log);
  const parsed = trainStepSchema.safeParse({ ...checkpoint.options, resume: run.id });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`runs resume ${run.id}: ${checkpointDir(home, run.id)}: option ${issue.path.join('.')}: ${issue.message}`);
  }
  return { steps: [{ kind: 'train', name: `resume ${run.id}`, options: parsed.data }], resumedFrom: run.id };
}
