import { useEffect, useState } from 'react';
import { Text } from 'ink';
import { errorHelp, type ErrorHelp } from '../error-help.js';
import { replayRun, type RunState } from '../run-state.js';
import type { RunPort } from '../run-port.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { RunView } from '../components/RunView.js';

type Props = Readonly<{ port: RunPort; id: string; width: number; height: number }>;

/** A stored run's events folded by the same reducer as a live run: its curves and epochs as they ended. */
export function Replay({ port, id, width, height }: Props) {
  const [state, setState] = useState<RunState | null>(null);
  const [error, setError] = useState<ErrorHelp | null>(null);
  useEffect(() => {
    Promise.all([port.readEvents(id), port.listRuns()]).then(([events, runs]) => {
      const status = runs.find((r) => r.id === id)?.status;
      if (events.length === 0) setError({ message: `run ${id} has no stored events`, fix: 'runs recorded before event storage can still be read in details (enter on the list)' });
      else setState(replayRun(events, status === 'killed' ? 'stopped' : status === 'running' ? 'running' : status ?? 'finished'));
    }, (err: unknown) => setError(errorHelp(err)));
  }, [port, id]);
  if (error) return <ErrorBox help={error} />;
  if (!state) return <Text dimColor> reading the run's events…</Text>;
  return <RunView state={state} error={null} width={width} height={height} />;
}
