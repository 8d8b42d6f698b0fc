// The events a run emits. Payloads are plain JSON, so the CLI's progress output, the TUI and
// the store can all subscribe to the same stream, and a stored run can be replayed.

export type RunCommand = 'train' | 'eval' | 'recalibrate' | 'inspect' | 'adapt' | 'pretrain';

export type RunEvent =
  | { type: 'RunStarted'; command: RunCommand; backend: string; config: Record<string, unknown>; totalSteps: number; totalImages: number }
  | { type: 'EpochStarted'; epoch: number; epochs: number }
  /** `lr`: the base rate this step ran at, where a schedule sets it. */
  | { type: 'OptimizerStepped'; step: number; totalSteps: number; imagesSeen: number; totalImages: number; loss: number; accuracy: number; imagesPerSecond: number; lr?: number }
  | { type: 'EpochEnded'; epoch: number; loss: number; accuracy: number; images: number; seconds: number; imagesPerSecond: number }
  | { type: 'ValidationEnded'; epoch: number; accuracy: number; n: number; loss?: number }
  | { type: 'EvalProgress'; imagesSeen: number; totalImages: number; imagesPerSecond: number }
  | { type: 'SynthProgress'; imagesWritten: number; totalImages: number; imagesPerSecond: number }
  /** AdaBN: images done in the current pass; in exact mode a pass per BN layer (`layer` of `layers`), else one. */
  | { type: 'RecalibrationProgress'; mode: 'exact' | 'fast'; imagesDone: number; totalImages: number; imagesPerSecond: number; layer: string | null; layerIndex: number; layers: number }
  | { type: 'CheckpointSaved'; path: string; contentHash: string }
  | { type: 'DataSkipped'; files: { path: string; reason: string }[] }
  | { type: 'RunWarning'; message: string }
  | { type: 'RunFinished'; result: Record<string, unknown> }
  | { type: 'RunFailed'; error: string };

export type EventSink = (event: RunEvent) => void;

/**
 * An event as the run API delivers it: which run (null for a step that is not a run, such as
 * data synthesis), when, and which step of the request. Steps emit plain RunEvents; the run API
 * stamps them, so a step never has to know where it runs.
 */
export type StampedEvent = RunEvent & { runId: string | null; at: string; stepIndex: number; stepName: string };
export type StampedSink = (event: StampedEvent) => void;

/**
 * One stream, many subscribers; a subscriber never changes the run. One that throws does not stop
 * the run or the others: its error reaches the others as a RunWarning.
 */
export function fanOut<E extends RunEvent>(...sinks: ((event: E) => void)[]): (event: E) => void {
  const deliver = (event: E, to: readonly ((event: E) => void)[]) => {
    const failures: string[] = [];
    for (const sink of to) {
      try {
        sink(event);
      } catch (err) {
        failures.push(`a run-event subscriber failed on ${event.type}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return failures;
  };
  // A warning about a stamped event carries the same stamp, so it lands on the same run.
  const warning = (event: E, message: string) => {
    const { runId, at, stepIndex, stepName } = event as Partial<StampedEvent>;
    const stamp = stepIndex === undefined ? {} : { runId, at, stepIndex, stepName };
    return { ...stamp, type: 'RunWarning', message } as E;
  };
  return (event) => {
    for (const message of deliver(event, sinks)) deliver(warning(event, message), sinks);
  };
}
