// The events a run emits. Payloads are plain JSON, so the CLI's progress output, the TUI and
// the store can all subscribe to the same stream, and a stored run can be replayed.

export type RunCommand = 'train' | 'eval' | 'recalibrate' | 'inspect' | 'adapt' | 'pretrain';

export type RunEvent =
  /** `runId`: the id the run is recorded under, when the run chose it itself (to name its checkpoints). */
  | { type: 'RunStarted'; command: RunCommand; backend: string; config: Record<string, unknown>; totalSteps: number; totalImages: number; runId?: string }
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
 * One stream, many subscribers; a subscriber never changes the run. One that throws does not stop
 * the run or the others: its error reaches the others as a RunWarning.
 */
export function fanOut(...sinks: EventSink[]): EventSink {
  const deliver = (event: RunEvent, to: readonly EventSink[]) => {
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
  return (event) => {
    for (const message of deliver(event, sinks)) deliver({ type: 'RunWarning', message }, sinks);
  };
}
