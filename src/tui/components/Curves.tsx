import { Box, Text } from 'ink';
import { lineChart } from '../chart.js';

type Props = Readonly<{ loss: readonly number[]; accuracy: readonly number[]; accuracyLabel: string; width: number; height: number }>;

/** Loss per optimizer step and accuracy per epoch, side by side. */
export function Curves({ loss, accuracy, accuracyLabel, width, height }: Props) {
  const half = Math.floor((width - 2) / 2);
  const lossLines = lineChart(loss, half, height, (x) => x.toFixed(2));
  const accLines = lineChart(accuracy, half, height, (x) => `${(100 * x).toFixed(0)}%`);
  return (
    <Box>
      <Box flexDirection="column" width={half + 1}>
        <Text> loss</Text>
        {lossLines.length > 0 ? lossLines.map((l, i) => <Text key={i} wrap="truncate-end"> {l}</Text>) : <Text dimColor> waiting for the first step</Text>}
      </Box>
      <Box flexDirection="column" width={half + 1}>
        <Text> {accuracyLabel}</Text>
        {accLines.length > 0 ? accLines.map((l, i) => <Text key={i} wrap="truncate-end"> {l}</Text>) : <Text dimColor> after the first epoch</Text>}
      </Box>
    </Box>
  );
}
