// Ctrl+C (SIGINT) and SIGTERM. While a run is in progress, the first one asks it to stop at its
// next safe point (training: after the current optimizer step), so it can be recorded as
// stopped; the second, or one that arrives when no run is in progress, quits at once.
import type { EventSink } from '../events/run-events.js';

/** The abort reason: what a step that stops throws. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

export interface Interrupts {
  /** Aborted by the first interrupt during a run. */
  readonly signal: AbortSignal;
  /** Follows the run events, to know whether a run is in progress. */
  readonly sink: EventSink;
  /** The signal that asked the run to stop, or null. */
  received(): NodeJS.Signals | null;
}

export function listenForInterrupts(log: (line: string) => void, quit: (reason: string) => void): Interrupts {
  const controller = new AbortController();
  let running = false;
  let received: NodeJS.Signals | null = null;
  const handle = (signal: NodeJS.Signals) => {
    if (received !== null) return quit(`${signal} again: quitting now`);
    if (!running) return quit(`${signal}: quitting`);
    received = signal;
    log(`${signal}: stopping the run after the current step (press Ctrl+C again to quit now)`);
    controller.abort(new Interrupted(`stopped by ${signal}`));
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  return {
    signal: controller.signal,
    sink: (e) => {
      if (e.type === 'RunStarted') running = true;
      else if (e.type === 'RunFinished' || e.type === 'RunFailed') running = false;
    },
    received: () => received,
  };
}
