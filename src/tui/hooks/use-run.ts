// The one run the UI drives at a time: starts it through the port, folds its events with the
// run reducer, and stops it on request (the run API checkpoints a train and records it stopped).
import { useCallback, useRef, useState } from 'react';
import { initialRunState, runReducer, type RunAction, type RunState } from '../run-state.js';
import type { RunPort, RunRequest } from '../run-port.js';

export interface RunHandle {
  /** Null before the first run. */
  title: string | null;
  state: RunState;
  /** What the run rejected with, as thrown (the screens turn it into a message and a fix). */
  failure: unknown;
  /** A run is in progress (stopping included). */
  active: boolean;
  /** Starts a run unless one is in progress; false when one is. */
  start(request: RunRequest, title: string): boolean;
  stop(): void;
}

export function useRun(port: RunPort): RunHandle {
  const [title, setTitle] = useState<string | null>(null);
  const [state, setState] = useState<RunState>(initialRunState);
  const [failure, setFailure] = useState<unknown>(null);
  const controller = useRef<AbortController | null>(null);
  const apply = useCallback((action: RunAction) => setState((s) => runReducer(s, action)), []);

  const start = useCallback((request: RunRequest, runTitle: string) => {
    if (controller.current !== null) return false;
    const c = new AbortController();
    controller.current = c;
    setTitle(runTitle);
    setState(initialRunState);
    setFailure(null);
    // Log lines are the CLI's stderr notes: written here they would draw over the screen, and
    // what a person must see (warnings, skipped files, the backend) arrives as run events.
    port.execute({ ...request, inWorker: true }, { signal: c.signal, onEvent: apply, log: () => undefined }).then(
      () => apply({ type: 'RunSettled', error: null }),
      (err: unknown) => {
        setFailure(err);
        apply({ type: 'RunSettled', error: err instanceof Error ? err.message : String(err) });
      },
    ).finally(() => {
      controller.current = null;
    });
    return true;
  }, [port, apply]);

  const stop = useCallback(() => {
    if (controller.current === null) return;
    apply({ type: 'StopRequested' });
    controller.current.abort();
  }, [apply]);

  const active = title !== null && (state.status === 'running' || state.status === 'stopping');
  return { title, state, failure, active, start, stop };
}
