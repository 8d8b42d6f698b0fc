import { useReducer } from 'react';
import { Box } from 'ink';
import type { ModelSummary } from '../../../models/model-summary.js';
import type { Step } from '../../../workflows/schema.js';
import { DataStep, dataLine, type DataChoice } from './DataStep.js';
import { ModelStep } from './ModelStep.js';
import { modelLine } from './model-line.js';
import { ReviewStep } from './ReviewStep.js';
import { StrategyStep, type StrategyChoice } from './StrategyStep.js';
import { WIZARD_STEPS, WizardHeader, type WizardStep } from './WizardHeader.js';

type Props = Readonly<{
  /** The steps `calibra run` would execute for the preset shown on the review step. */
  onRun: (steps: Step[]) => void;
  onCancel: () => void;
  /** Where typed relative paths start, and whose workflows/ a preset is saved into. Default: the process's. */
  cwd?: string;
}>;

type State = {
  step: WizardStep;
  model: { ref: string; summary: ModelSummary } | null;
  data: DataChoice | null;
  strategy: StrategyChoice | null;
};

type Action =
  | { type: 'model'; ref: string; summary: ModelSummary }
  | { type: 'data'; data: DataChoice }
  | { type: 'strategy'; strategy: StrategyChoice }
  | { type: 'back' };

function reduce(state: State, action: Action): State {
  switch (action.type) {
    case 'model': return { ...state, step: 'data', model: { ref: action.ref, summary: action.summary } };
    case 'data': return { ...state, step: 'strategy', data: action.data };
    case 'strategy': return { ...state, step: 'review', strategy: action.strategy };
    case 'back': return { ...state, step: WIZARD_STEPS[Math.max(0, WIZARD_STEPS.indexOf(state.step) - 1)]! };
  }
}

const START: State = { step: 'model', model: null, data: null, strategy: null };

/** Model, data, strategy, review: a preset built step by step, then run or saved. */
export function FineTuneWizard({ onRun, onCancel, cwd = process.cwd() }: Props) {
  const [state, dispatch] = useReducer(reduce, START);
  const back = () => dispatch({ type: 'back' });
  const { model, data, strategy } = state;
  const lines = [
    ...(model && state.step !== 'model' ? [modelLine(model.summary)] : []),
    ...(data && (state.step === 'strategy' || state.step === 'review') ? [dataLine(data)] : []),
  ];
  return (
    <Box flexDirection="column">
      <WizardHeader step={state.step} lines={lines} />
      {state.step === 'model' && <ModelStep cwd={cwd} onDone={(ref, summary) => dispatch({ type: 'model', ref, summary })} onBack={onCancel} />}
      {state.step === 'data' && <DataStep cwd={cwd} onDone={(d) => dispatch({ type: 'data', data: d })} onBack={back} />}
      {state.step === 'strategy' && model && data && (
        <StrategyStep model={model.summary} hasValidation={data.validation.kind !== 'none'} onDone={(s) => dispatch({ type: 'strategy', strategy: s })} onBack={back} />
      )}
      {state.step === 'review' && model && data && strategy && (
        <ReviewStep
          cwd={cwd}
          choices={{ model: model.ref, modelId: model.summary.id, data: data.train.path, validation: data.validation, preset: strategy.preset, edited: strategy.edited, strategy: strategy.values }}
          onRun={onRun}
          onBack={back}
        />
      )}
    </Box>
  );
}
