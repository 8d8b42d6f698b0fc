import { Box, Text } from 'ink';
import { currentStep, type RunState } from '../run-state.js';
import { beforeAfter } from '../recalibration.js';
import { resumableRunId, stepLines } from '../run-summary.js';
import type { ErrorHelp } from '../error-help.js';
import { Curves } from './Curves.js';
import { EpochTable } from './EpochTable.js';
import { ErrorBox } from './ErrorBox.js';
import { ProgressLine } from './ProgressLine.js';

type Props = Readonly<{
  state: RunState;
  error: ErrorHelp | null;
  width: number;
  height: number;
  /** Where r resumes a stopped train (the dashboard), say so. */
  offersResume?: boolean;
}>;

const STATUS: Record<RunState['status'], string> = {
  running: 'running', stopping: 'stopping after the current step…', finished: 'finished', failed: 'failed', stopped: 'stopped',
};

/** A run's state as the dashboard and the replay show it: steps, progress, curves, epochs, outcome. */
export function RunView({ state, error, width, height, offersResume = false }: Props) {
  const step = currentStep(state);
  if (step === null) {
    return (
      <Box flexDirection="column">
        <Text dimColor> {state.status === 'running' ? 'starting the engine…' : STATUS[state.status]}</Text>
        {error ? <ErrorBox help={error} /> : null}
      </Box>
    );
  }
  const steps = stepLines(state);
  const gain = beforeAfter(state.steps);
  const isTrain = step.command === 'train';
  const chartHeight = Math.max(3, Math.min(6, height - steps.length - 10));
  const tableRows = Math.max(1, height - steps.length - chartHeight - 6 - (error ? 4 : 0));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end"> {STATUS[state.status]} · {step.backend ?? '…'}{step.runId ? ` · run ${step.runId}` : ''}{state.skippedFiles > 0 ? ` · ${state.skippedFiles} files skipped` : ''}</Text>
      {steps.map((line, i) => <Text key={i} wrap="truncate-end"> {line}</Text>)}
      {state.status === 'running' || state.status === 'stopping' ? <ProgressLine step={step} width={width} /> : null}
      {gain ? (
        <Text bold wrap="truncate-end"> accuracy before {(100 * gain.before).toFixed(1)}% → after {(100 * gain.after).toFixed(1)}% ({gain.after >= gain.before ? '+' : ''}{(100 * (gain.after - gain.before)).toFixed(1)} points)</Text>
      ) : null}
      {isTrain ? (
        <>
          <Curves loss={step.loss} accuracy={step.valAccuracy.length > 0 ? step.valAccuracy : step.epochRows.map((r) => r.accuracy)} accuracyLabel={step.valAccuracy.length > 0 ? 'val accuracy' : 'train accuracy'} width={width} height={chartHeight} />
          <EpochTable rows={step.epochRows} maxRows={tableRows} />
        </>
      ) : null}
      {offersResume && resumableRunId(state) !== null ? <Text wrap="truncate-end"> The train wrote a checkpoint as it stopped: r resumes from it.</Text> : null}
      {state.warnings.length > 0 ? <Text color="yellow" wrap="truncate-end"> ⚠ {state.warnings.at(-1)}</Text> : null}
      {error ? <ErrorBox help={error} /> : null}
    </Box>
  );
}
