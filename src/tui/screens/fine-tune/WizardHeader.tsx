import { Box, Text } from 'ink';

export const WIZARD_STEPS = ['model', 'data', 'strategy', 'review'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

type Props = Readonly<{
  step: WizardStep;
  /** One line each for what the earlier steps chose, once chosen. */
  lines: readonly string[];
}>;

export function WizardHeader({ step, lines }: Props) {
  const at = WIZARD_STEPS.indexOf(step);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold> Fine-tune</Text>
        {WIZARD_STEPS.map((s, i) => (
          <Text key={s} bold={i === at} dimColor={i > at}>{` ▸ ${s}${i < at ? ' ✓' : ''}`}</Text>
        ))}
        <Text dimColor>{`   step ${at + 1} of ${WIZARD_STEPS.length}`}</Text>
      </Text>
      {lines.map((line) => <Text key={line} wrap="truncate-end">{` ${line}`}</Text>)}
    </Box>
  );
}
