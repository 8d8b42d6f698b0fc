import { Text } from 'ink';
import { stepFraction, type StepState } from '../run-state.js';
import { bar, clock } from '../text.js';

type Props = Readonly<{ step: StepState; width: number }>;

/** epoch 3/5 ███░░░ 58%  61 img/s  ETA 0:21 */
export function ProgressLine({ step, width }: Props) {
  const fraction = stepFraction(step);
  const lead = step.epoch !== null && step.epochs !== null ? `epoch ${step.epoch}/${step.epochs} ` : '';
  const rate = step.imagesPerSecond !== null ? `${Math.round(step.imagesPerSecond)} img/s` : '— img/s';
  const tail = ` ${(100 * fraction).toFixed(0).padStart(3)}%  ${rate}  ETA ${clock(step.etaSeconds)}`;
  const barWidth = Math.max(10, width - lead.length - tail.length - 2);
  return <Text wrap="truncate-end"> {lead}<Text color="green">{bar(fraction, barWidth)}</Text>{tail}</Text>;
}
