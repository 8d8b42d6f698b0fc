import { Box, Text } from 'ink';

/** A key and what it does, as the footer and the help list show it. */
export type KeyHint = readonly [key: string, label: string];

type Props = Readonly<{ keys: readonly KeyHint[] }>;

/** The shortcuts of the screen in view; always on the last line. */
export function Footer({ keys }: Props) {
  return (
    <Box>
      <Text wrap="truncate-end">
        {keys.map(([key, label], i) => (
          <Text key={key}>
            {i > 0 ? '  ' : ' '}
            <Text bold color="cyan">{key}</Text> {label}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
