// What a BatchNorm layer does during fine-tuning. tfjs-layers ignores `trainable` on BN and
// always uses batch statistics in training; Calibra makes every choice explicit instead.

/**
 * - `freeze`: normalise with the moving statistics and never change them (Keras ≥ 2.1.3
 *   behaviour for a frozen BN layer).
 * - `update`: normalise with batch statistics in training and move the averages by momentum.
 * - `reset`: re-estimate the statistics from the new data before training, then `update`.
 */
export type BnStatsMode = 'freeze' | 'update' | 'reset';
export type BnAffineMode = 'train' | 'freeze';

export interface BnPolicy {
  stats: BnStatsMode;
  affine: BnAffineMode;
  /** Keras convention: the fraction of the old average kept per step (PyTorch's is 1 − this). */
  momentum?: number;
  epsilon?: number;
}
