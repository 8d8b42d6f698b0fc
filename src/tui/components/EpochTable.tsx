import { Box, Text } from 'ink';
import { columns } from '../../cli/format.js';
import { bestEpoch, type EpochRow } from '../run-state.js';
import { clock } from '../text.js';

type Props = Readonly<{ rows: readonly EpochRow[]; maxRows: number }>;

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);

/** The last epochs that fit, newest last, the best by validation accuracy starred. */
export function EpochTable({ rows, maxRows }: Props) {
  const best = bestEpoch(rows);
  const shown = rows.slice(-Math.max(1, maxRows));
  const lines = columns([
    ['epoch', 'loss', 'acc', 'val', 'time', 'img/s', ''],
    ...shown.map((r) => [String(r.epoch), r.loss.toFixed(3), pct(r.accuracy), pct(r.valAccuracy), clock(r.seconds), r.imagesPerSecond.toFixed(0), r.epoch === best ? '★ best' : '']),
  ], ['right', 'right', 'right', 'right', 'right', 'right', 'left']);
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => <Text key={i} bold={i === 0} wrap="truncate-end"> {l}</Text>)}
    </Box>
  );
}
