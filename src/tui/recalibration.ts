// The Recalibrate screen's form as the steps `calibra run` would execute: AdaBN, and with a
// labelled target folder an eval of the model before and of the result after. Pure.
import { buildStep as step } from './build-step.js';
import type { RunRequest } from './run-port.js';
import type { StepState } from './run-state.js';

export interface RecalibrateForm {
  model: string;
  images: string;
  /** A labelled folder of the target domain; empty for none. */
  target: string;
  mode: 'exact' | 'fast';
  /** Comma-separated group names; empty for every group. */
  groups: string;
  /** The AdaBN floor on images; empty for the step's default. */
  minImages: string;
  out: string;
}

export const BEFORE = 'before';
export const AFTER = 'after';
export const RECALIBRATE = 'recalibrate';

export function recalibrationRequest(form: RecalibrateForm): RunRequest {
  const groups = form.groups.split(',').map((g) => g.trim()).filter((g) => g !== '');
  const target = form.target.trim();
  const recalibrate = step({
    name: RECALIBRATE,
    recalibrate: {
      model: form.model.trim(), images: form.images.trim(), out: form.out.trim(), mode: form.mode,
      ...(groups.length > 0 ? { groups } : {}),
      ...(form.minImages.trim() !== '' ? { minImages: Number(form.minImages) } : {}),
    },
  });
  if (target === '') return { steps: [recalibrate], inWorker: true };
  return {
    steps: [
      step({ name: BEFORE, eval: { model: form.model.trim(), data: target } }),
      recalibrate,
      step({ name: AFTER, eval: { model: form.out.trim(), data: target } }),
    ],
    inWorker: true,
  };
}

/** Accuracy of the model before and after recalibration, once both evals finished. */
export function beforeAfter(steps: readonly StepState[]): { before: number; after: number } | null {
  const accuracy = (name: string) => {
    const value = steps.find((s) => s.name === name && s.status === 'finished')?.result?.accuracy;
    return typeof value === 'number' ? value : null;
  };
  const [before, after] = [accuracy(BEFORE), accuracy(AFTER)];
  return before !== null && after !== null ? { before, after } : null;
}
