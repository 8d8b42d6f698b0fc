// Hand-made stamped events for the UI's tests: what the run API would deliver for a run.
import type { RunEvent } from '../../src/events/run-events.js';
import type { StampedEvent } from '../../src/tui/run-port.js';

/** Stamps `events` as one step's, one second apart from `start`. */
export function stamp(events: readonly RunEvent[], step: { index: number; name: string; runId: string | null }, start = Date.UTC(2026, 11, 1, 14, 0, 0)): StampedEvent[] {
  return events.map((e, i) => ({ ...e, runId: step.runId, stepIndex: step.index, stepName: step.name, at: new Date(start + 1000 * i).toISOString() }));
}

/** A two-epoch train of 8 images per epoch, batch 4, with validation; `finish` false leaves it mid-epoch 2. */
export function trainEvents(finish = true): RunEvent[] {
  const events: RunEvent[] = [
    { type: 'RunStarted', command: 'train', backend: 'native', config: { model: 'digits-resnet', data: '/d/inverted' }, totalSteps: 4, totalImages: 16 },
    { type: 'EpochStarted', epoch: 1, epochs: 2 },
    { type: 'OptimizerStepped', step: 1, totalSteps: 4, imagesSeen: 4, totalImages: 16, loss: 2.0, accuracy: 0.25, imagesPerSecond: 8 },
    { type: 'OptimizerStepped', step: 2, totalSteps: 4, imagesSeen: 8, totalImages: 16, loss: 1.5, accuracy: 0.5, imagesPerSecond: 8 },
    { type: 'EpochEnded', epoch: 1, loss: 1.75, accuracy: 0.375, images: 8, seconds: 1, imagesPerSecond: 8 },
    { type: 'ValidationEnded', epoch: 1, accuracy: 0.6, n: 10 },
    { type: 'CheckpointSaved', path: '/m/out-epoch1', contentHash: 'h1' },
    { type: 'EpochStarted', epoch: 2, epochs: 2 },
    { type: 'OptimizerStepped', step: 3, totalSteps: 4, imagesSeen: 12, totalImages: 16, loss: 1.0, accuracy: 0.75, imagesPerSecond: 4 },
  ];
  if (!finish) return events;
  return [...events,
    { type: 'OptimizerStepped', step: 4, totalSteps: 4, imagesSeen: 16, totalImages: 16, loss: 0.5, accuracy: 1, imagesPerSecond: 4 },
    { type: 'EpochEnded', epoch: 2, loss: 0.75, accuracy: 0.875, images: 8, seconds: 2, imagesPerSecond: 4 },
    { type: 'ValidationEnded', epoch: 2, accuracy: 0.5, n: 10 },
    { type: 'RunFinished', result: { val_accuracy: 0.6, train_accuracy: 0.875, out: '/m/out' } },
  ];
}
