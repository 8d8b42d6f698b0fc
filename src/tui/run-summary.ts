// One line per step of a run, for the dashboard's step list. Pure.
import type { RunState, StepState } from './run-state.js';

const MARK: Record<StepState['status'], string> = { running: '▸', finished: '✓', failed: '✗' };

const pct = (x: unknown) => (typeof x === 'number' ? `${(100 * x).toFixed(1)}%` : null);

/** The figure a finished step is known by. */
export function stepOutcome(step: StepState): string {
  if (step.status === 'failed') return step.error ?? 'failed';
  if (step.status === 'running') return step.detail ?? 'running';
  const r = step.result ?? {};
  if (step.command === 'eval') return `accuracy ${pct(r.accuracy) ?? '—'} on ${r.n ?? '?'} images`;
  if (step.command === 'recalibrate') return `${r.layers ?? '?'} BN layers from ${r.images ?? '?'} images → ${r.out ?? '?'}`;
  if (step.command === 'inspect') return `${Array.isArray(r.layers) ? r.layers.length : '?'} BN layers measured on ${r.images ?? '?'} images`;
  if (step.command === 'train') return `val ${pct(r.val_accuracy) ?? '—'} · train ${pct(r.train_accuracy) ?? '—'} → ${r.out ?? '?'}`;
  return 'done';
}

/** A step that ended because the run was stopped reads as stopped, not as failed. */
export function stepLines(state: RunState): string[] {
  return state.steps.map((s) => {
    const stopped = state.status === 'stopped' && s.status !== 'finished';
    const at = s.epochRows.at(-1)?.epoch;
    const outcome = stopped ? `stopped${at !== undefined ? ` after epoch ${at}` : ''}` : stepOutcome(s);
    return `${stopped ? '■' : MARK[s.status]} ${s.name} (${s.command ?? '…'}): ${outcome}`;
  });
}

/** A stopped train can be resumed from its checkpoint under its run id. */
export function resumableRunId(state: RunState): string | null {
  if (state.status !== 'stopped') return null;
  const train = state.steps.find((s) => s.command === 'train' && s.runId !== null);
  return train?.runId ?? null;
}
