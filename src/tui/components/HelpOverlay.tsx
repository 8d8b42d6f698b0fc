import { Box, Text } from 'ink';
import type { KeyHint } from './Footer.js';

type Props = Readonly<{ screen: string; keys: readonly KeyHint[] }>;

const EVERYWHERE: readonly KeyHint[] = [
  ['esc', 'back to the screen before'],
  ['?', 'this help, and close it'],
  ['ctrl+c', 'stop the run in progress (a train checkpoints first); on the home screen, quit'],
];

/** The keys of the screen in view and those that work everywhere. */
export function HelpOverlay({ screen, keys }: Props) {
  const width = Math.max(...[...keys, ...EVERYWHERE].map(([k]) => k.length));
  const line = ([key, label]: KeyHint) => (
    <Text key={key} wrap="truncate-end">  <Text bold color="cyan">{key.padEnd(width)}</Text>  {label}</Text>
  );
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Help — {screen}</Text>
      {keys.map(line)}
      <Text> </Text>
      <Text bold>Everywhere</Text>
      {EVERYWHERE.map(line)}
      <Text> </Text>
      <Text dimColor>Path fields complete with tab. Every run is recorded; r runs from home lists them.</Text>
    </Box>
  );
}
