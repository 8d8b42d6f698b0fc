import { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { localStamp } from '../../cli/format.js';
import { shortIds } from '../../store/run-ids.js';
import { dataName, keyMetric, modelName } from '../../store/run-summary.js';
import type { RunRecord } from '../../store/run-record.js';
import { errorHelp, type ErrorHelp } from '../error-help.js';
import type { RunPort } from '../run-port.js';
import { fit } from '../text.js';
import { ErrorBox } from '../components/ErrorBox.js';
import type { KeyHint } from '../components/Footer.js';
import { useKeys } from '../hooks/use-keys.js';

export type RunsAction =
  | { type: 'details'; id: string }
  | { type: 'replay'; id: string }
  | { type: 'compare'; a: string; b: string }
  | { type: 'resume'; id: string };

type Props = Readonly<{ port: RunPort; onAction(action: RunsAction): void; width: number; height: number; isActive: boolean }>;

export const runsKeys: KeyHint[] = [['↑↓', 'select'], ['enter', 'details'], ['p', 'replay curves'], ['c', 'compare (twice)'], ['s', 'resume stopped'], ['esc', 'back'], ['?', 'help']];

/** Stopped or killed trains continue from their checkpoint. */
export const resumable = (r: RunRecord) => r.command === 'train' && (r.status === 'stopped' || r.status === 'killed');

function figure(r: RunRecord): string {
  const m = keyMetric(r);
  return m === null ? '' : m.kind === 'count' ? `${m.value} img` : `${m.label} ${(100 * m.value).toFixed(1)}%`;
}

/** The run history, newest first; pick one for details, a replay or a comparison. */
export function Runs({ port, onAction, width, height, isActive }: Props) {
  const [runs, setRuns] = useState<RunRecord[] | null>(null);
  const [error, setError] = useState<ErrorHelp | null>(null);
  // The cursor is also kept in a ref, so keys that arrive together (↓ then c) act on where the first left it.
  const [cursor, setCursorState] = useState(0);
  const cursorRef = useRef(0);
  const setCursor = (at: number) => {
    cursorRef.current = at;
    setCursorState(at);
  };
  const [marked, setMarked] = useState<string | null>(null);
  useEffect(() => {
    port.listRuns().then((list) => setRuns([...list].reverse()), (err: unknown) => setError(errorHelp(err)));
  }, [port]);

  useKeys((input, key) => {
    const selected = runs?.[cursorRef.current] ?? null;
    if (runs === null || selected === null) return;
    if (key.upArrow) setCursor(Math.max(0, cursorRef.current - 1));
    else if (key.downArrow) setCursor(Math.min(runs.length - 1, cursorRef.current + 1));
    else if (key.return) onAction({ type: 'details', id: selected.id });
    else if (input === 'p') onAction({ type: 'replay', id: selected.id });
    else if (input === 's' && resumable(selected)) onAction({ type: 'resume', id: selected.id });
    else if (input === 'c') {
      if (marked === null || marked === selected.id) setMarked(marked === null ? selected.id : null);
      else {
        setMarked(null);
        onAction({ type: 'compare', a: marked, b: selected.id });
      }
    }
  }, isActive);

  if (error) return <ErrorBox help={error} />;
  if (runs === null) return <Text dimColor> reading the store…</Text>;
  if (runs.length === 0) return <Text dimColor> No runs yet. Runs appear here as soon as they start.</Text>;
  const short = shortIds(runs.map((r) => r.id));
  const visible = Math.max(1, height - 3);
  const first = Math.min(Math.max(0, cursor - visible + 1), Math.max(0, runs.length - visible));
  const header = `  ${'id'.padEnd(6)} ${'when'.padEnd(11)} ${'command'.padEnd(11)} ${'status'.padEnd(8)} ${'result'.padEnd(11)} model → data`;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">{header}</Text>
      {runs.slice(first, first + visible).map((r, i) => {
        const at = first + i;
        const line = `${fit(short.get(r.id)!, 6)} ${localStamp(r.startedAt).padEnd(11)} ${fit(r.command, 11)} ${fit(r.status, 8)} ${fit(figure(r), 11)} ${modelName(r)} → ${dataName(r)}`;
        return (
          <Text key={r.id} inverse={at === cursor} wrap="truncate-end">
            {r.id === marked ? 'c ' : '  '}{fit(line, width - 3)}
          </Text>
        );
      })}
      <Text dimColor wrap="truncate-end"> {marked ? `comparing with ${short.get(marked)}: pick the other run and press c` : `${runs.length} runs · ${cursor + 1} selected`}</Text>
    </Box>
  );
}
