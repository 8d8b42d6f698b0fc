// When batch statistics are too noisy to trust: the one rule behind the trainer's accumulation
// warning and the TUI's advice, so both say the same thing at the same point.

/** Below this many images per pass, batch statistics are noisy enough to warn about. */
export const SMALL_BN_BATCH = 16;

export interface MicroBatchShape {
  /** Images per pass (micro-batch). */
  batch: number;
  /** Passes per optimizer step. */
  accum: number;
  /** BN layers that normalise with batch statistics in training. */
  bnUpdating: number;
}

/**
 * Whether the step's BN layers normalise small passes with their own statistics while the
 * gradient pretends to be one larger batch's: accumulated passes under SMALL_BN_BATCH images.
 */
export function noisyMicroBatches(s: MicroBatchShape): boolean {
  return s.accum > 1 && s.bnUpdating > 0 && s.batch < SMALL_BN_BATCH;
}
