import type { RunHandle } from '../hooks/use-run.js';
import { errorHelp } from '../error-help.js';
import { resumableRunId } from '../run-summary.js';
import { RunView } from '../components/RunView.js';
import type { KeyHint } from '../components/Footer.js';
import { useKeys } from '../hooks/use-keys.js';

type Props = Readonly<{ run: RunHandle; onResume(runId: string): void; width: number; height: number; isActive: boolean }>;

export function dashboardKeys(run: RunHandle): KeyHint[] {
  if (run.active) return [['s', 'stop (checkpoint)'], ['esc', 'back (run continues)'], ['?', 'help']];
  return [...(resumableRunId(run.state) ? [['r', 'resume'] as const] : []), ['esc', 'back'], ['?', 'help']];
}

/** The run in progress, or the last one: live progress, curves and epochs; stop and resume. */
export function Dashboard({ run, onResume, width, height, isActive }: Props) {
  useKeys((input) => {
    if (input === 's' && run.active) run.stop();
    const resumable = resumableRunId(run.state);
    if (input === 'r' && !run.active && resumable !== null) onResume(resumable);
  }, isActive);
  const stoppedOnPurpose = run.state.status === 'stopped';
  const help = run.state.error !== null && !stoppedOnPurpose ? errorHelp(run.failure ?? new Error(run.state.error)) : null;
  return <RunView state={run.state} error={help} width={width} height={height} offersResume />;
}
