// The ReLU or ReLU6 that a BatchNorm kernel applies to its own output, for a BN layer whose
// activation layer is fused into it (src/models/bn-activation-fusion.ts), and the kernels that
// take one. They are native only: elsewhere the BN op composes tfjs ops instead.
export type BnActivation = 'linear' | 'relu' | 'relu6';

/** BatchNorm with batch statistics, then the activation: inputs and outputs as CalibraBatchNormTrain. */
export const CALIBRA_BATCH_NORM_TRAIN_RELU = 'CalibraBatchNormTrainRelu';
/** Its gradient: CalibraBatchNormTrainGrad's inputs plus the forward's output y. */
export const CALIBRA_BATCH_NORM_TRAIN_RELU_GRAD = 'CalibraBatchNormTrainReluGrad';
/** BatchNorm with given statistics, then the activation: inputs {x, mean, variance, scale, offset}. */
export const CALIBRA_FUSED_BATCH_NORM_RELU = 'CalibraFusedBatchNormRelu';
/** Its gradient: CalibraFusedBatchNormGrad's inputs plus the forward's output y. */
export const CALIBRA_FUSED_BATCH_NORM_RELU_GRAD = 'CalibraFusedBatchNormReluGrad';

/** The code native/batch_norm_common.h's BnActivation gives each. */
export function activationCode(activation: BnActivation | undefined): number {
  switch (activation ?? 'linear') {
    case 'linear': return 0;
    case 'relu': return 1;
    case 'relu6': return 2;
  }
}
