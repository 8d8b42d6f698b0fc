import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { Footer, type KeyHint } from './Footer.js';

type Props = Readonly<{
  /** The screen's name first: outside tests look for it. */
  title: string;
  /** Shown at the right of the title line (the engine, a run id). */
  aside?: string;
  keys: readonly KeyHint[];
  columns: number;
  rows: number;
  children: ReactNode;
}>;

/** Every screen's frame: the title line, the body filling the terminal, the footer with its keys. */
export function Frame({ title, aside, keys, columns, rows, children }: Props) {
  const gap = Math.max(1, columns - title.length - (aside?.length ?? 0) - 2);
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Text wrap="truncate-end">
        {' '}<Text bold>{title}</Text>{aside ? `${' '.repeat(gap)}${aside}` : ''}
      </Text>
      <Box flexDirection="column" flexGrow={1} overflow="hidden">
        {children}
      </Box>
      <Footer keys={keys} />
    </Box>
  );
}
