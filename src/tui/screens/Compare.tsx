import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { valueText } from '../../cli/runs-text.js';
import { compareRuns } from '../../store/compare-runs.js';
import type { RunRecord } from '../../store/run-record.js';
import { dataName, modelName } from '../../store/run-summary.js';
import { errorHelp, type ErrorHelp } from '../error-help.js';
import type { RunPort } from '../run-port.js';
import { fit } from '../text.js';
import { ErrorBox } from '../components/ErrorBox.js';

type Props = Readonly<{ port: RunPort; a: string; b: string; width: number; height: number }>;

const METRIC_NAMES: Record<string, string> = {
  loss: 'final loss', train_accuracy: 'train accuracy', val_accuracy: 'val accuracy', accuracy: 'accuracy',
  images: 'images', images_per_second: 'images/s', seconds: 'seconds', epochs: 'epochs',
};
const isFraction = (name: string) => name.endsWith('accuracy');
const metric = (name: string, x: number | null) => (x === null ? '—' : isFraction(name) ? `${(100 * x).toFixed(1)}%` : Number.isInteger(x) ? String(x) : x.toFixed(name === 'loss' ? 4 : 1));

/** Two runs side by side: what each is, the settings that differ, and their figures. */
export function Compare({ port, a, b, width, height }: Props) {
  const [pair, setPair] = useState<[RunRecord, RunRecord] | null>(null);
  const [error, setError] = useState<ErrorHelp | null>(null);
  useEffect(() => {
    port.listRuns().then((runs) => {
      const [ra, rb] = [runs.find((r) => r.id === a), runs.find((r) => r.id === b)];
      if (ra && rb) setPair([ra, rb]);
      else setError({ message: 'one of the two runs is no longer in the store', fix: 'esc back to the list and pick again' });
    }, (err: unknown) => setError(errorHelp(err)));
  }, [port, a, b]);
  if (error) return <ErrorBox help={error} />;
  if (!pair) return <Text dimColor> reading the store…</Text>;
  const [ra, rb] = pair;
  const c = compareRuns(ra, rb);
  const key = 22;
  const col = Math.max(10, Math.floor((width - key - 4) / 2));
  const row = (k: string, x: string, y: string) => ` ${fit(k, key)} ${fit(x, col)} ${fit(y, col)}`.trimEnd();
  const metrics = Object.entries(c.metrics);
  const room = Math.max(1, height - 6 - metrics.length);
  const config = c.config.slice(0, room);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">{row('', `a ${ra.id}`, `b ${rb.id}`)}</Text>
      <Text wrap="truncate-end">{row('run', `${ra.command}, ${ra.status}`, `${rb.command}, ${rb.status}`)}</Text>
      <Text wrap="truncate-end">{row('model → data', `${modelName(ra)} → ${dataName(ra)}`, `${modelName(rb)} → ${dataName(rb)}`)}</Text>
      <Text bold> metrics</Text>
      {metrics.map(([name, p]) => <Text key={name} wrap="truncate-end">{row(METRIC_NAMES[name] ?? name, metric(name, p.a), metric(name, p.b))}</Text>)}
      <Text bold> config {c.config.length === 0 ? '(the same)' : `(${c.config.length} settings differ${config.length < c.config.length ? `, ${config.length} shown` : ''})`}</Text>
      {config.map((d) => <Text key={d.key} wrap="truncate-end">{row(d.key, valueText(d.a), valueText(d.b))}</Text>)}
    </Box>
  );
}
