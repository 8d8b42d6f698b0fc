import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { showText } from '../../cli/runs-text.js';
import type { RunRecord } from '../../store/run-record.js';
import { errorHelp, type ErrorHelp } from '../error-help.js';
import type { RunPort } from '../run-port.js';
import { ErrorBox } from '../components/ErrorBox.js';
import type { KeyHint } from '../components/Footer.js';
import { useKeys } from '../hooks/use-keys.js';

type Props = Readonly<{ port: RunPort; id: string; onReplay(id: string): void; height: number; isActive: boolean }>;

export const runDetailsKeys: KeyHint[] = [['↑↓', 'scroll'], ['p', 'replay curves'], ['esc', 'back'], ['?', 'help']];

/** The store's whole record of one run, as `calibra runs show` prints it, scrollable. */
export function RunDetails({ port, id, onReplay, height, isActive }: Props) {
  const [run, setRun] = useState<RunRecord | null>(null);
  const [error, setError] = useState<ErrorHelp | null>(null);
  const [scroll, setScroll] = useState(0);
  useEffect(() => {
    port.listRuns().then((runs) => {
      const found = runs.find((r) => r.id === id);
      if (found) setRun(found);
      else setError({ message: `run ${id} is no longer in the store`, fix: 'esc back to the list, which reads the store again' });
    }, (err: unknown) => setError(errorHelp(err)));
  }, [port, id]);
  const lines = run ? showText(run).split('\n') : [];
  const visible = Math.max(1, height - 1);
  useKeys((input, key) => {
    if (key.upArrow) setScroll((s) => Math.max(0, s - 1));
    else if (key.downArrow) setScroll((s) => Math.min(Math.max(0, lines.length - visible), s + 1));
    else if (input === 'p') onReplay(id);
  }, isActive);
  if (error) return <ErrorBox help={error} />;
  if (!run) return <Text dimColor> reading the store…</Text>;
  return (
    <Box flexDirection="column">
      {lines.slice(scroll, scroll + visible).map((l, i) => <Text key={i} wrap="truncate-end"> {l}</Text>)}
    </Box>
  );
}
