import { Box, Text } from 'ink';
import type { ErrorHelp } from '../error-help.js';

type Props = Readonly<{ help: ErrorHelp }>;

/** A failure as one message and the fix to try; never a stack trace. */
export function ErrorBox({ help }: Props) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1}>
      <Text color="red" wrap="wrap">✗ {help.message}</Text>
      <Text wrap="wrap">fix: {help.fix}</Text>
    </Box>
  );
}
