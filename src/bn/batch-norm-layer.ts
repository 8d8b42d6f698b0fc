// Calibra's BatchNormalization: the tfjs-layers class, with `call` replaced so that the layer
// obeys an explicit BnPolicy. It keeps tfjs's weights and config, so a model saved from Calibra
// loads in stock tfjs, and registering it under the same class name means every model Calibra
// loads gets this behaviour.
import { engine, getKernel, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { tf } from '../engine/tf.js';
import { batchNormTrain } from './batch-norm-train-op.js';
import { batchNormGiven } from './batch-norm-given-op.js';
import { markActivated } from './activated-tensors.js';
import type { BnActivation } from '../engine/native/bn-activation.js';
import { MOVING_AVERAGE } from '../engine/kernels/moving-average.js';
import type { BnPolicy, BnStatsMode } from './batch-norm-policy.js';

/** Per-channel statistics of one input a BN layer saw: mean, biased variance, values per channel. */
export interface BnMoments {
  mean: Float32Array;
  variance: Float32Array;
  count: number;
}
export type BnObserver = (layer: CalibraBatchNorm, moments: BnMoments) => void;

interface TfjsBatchNorm extends tf.layers.Layer {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: tf.LayerVariable | null;
  beta: tf.LayerVariable | null;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}
type TfjsBatchNormCtor = new (args?: object) => TfjsBatchNorm;

const TfjsBatchNormalization = tf.layers.batchNormalization({}).constructor as TfjsBatchNormCtor;

export class CalibraBatchNorm extends TfjsBatchNormalization {
  static className = 'BatchNormalization';

  /** How statistics behave when the layer is called with `training: true`. */
  statsMode: BnStatsMode = 'update';
  /**
   * Receives the moments of every input the layer normalises, in training or inference. AdaBN,
   * the drift inspector and merged accumulation listen here; nothing else in the layer changes.
   */
  observer: BnObserver | null = null;
  /**
   * Normalise with batch statistics even when called with `training: false`, so that AdaBN's
   * fast pass and TENT get batch-statistics BN without putting dropout and the like in training.
   */
  batchStatistics = false;
  /**
   * Whether a training call with batch statistics moves the moving averages. Off when the caller
   * folds statistics merged over several calls in once (accumulation with `--bn-accum merged`).
   */
  movesAverages = true;
  /**
   * The ReLU or ReLU6 of the activation layer that alone reads this layer's output, applied here
   * so that the two run as one kernel forward and one backward; that layer then passes its
   * input through. A property of this instance at run time, set by the graph pass in
   * src/models/bn-activation-fusion.ts; never saved, so a saved model keeps both layers.
   */
  fusedActivation: BnActivation = 'linear';

  applyPolicy(policy: BnPolicy): void {
    this.statsMode = policy.stats;
    if (policy.momentum !== undefined) this.momentum = policy.momentum;
    if (policy.epsilon !== undefined) this.epsilon = policy.epsilon;
    const affineTrainable = policy.affine === 'train';
    for (const w of [this.gamma, this.beta]) if (w) w.trainable = affineTrainable;
  }

  override call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
    const y = this.normalise(inputs, kwargs);
    markActivated(y, this.fusedActivation);
    return y;
  }

  private normalise(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const channelsLast = this.axis === -1 || this.axis === x.rank - 1;
      const count = x.size / x.shape[x.rank - 1]!;
      const useBatch = this.batchStatistics || (kwargs.training === true && this.statsMode !== 'freeze');
      if (!useBatch || !channelsLast) {
        if (useBatch) throw new Error(`BatchNormalization '${this.name}': only channels-last (axis -1) is supported with batch statistics`);
        if (this.observer) {
          const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
          this.observe(mean, variance, count);
        }
        return this.normaliseWithMovingStats(x);
      }
      const { y, mean, variance } = batchNormTrain(x, this.gamma?.read() ?? null, this.beta?.read() ?? null, this.epsilon, this.fusedActivation);
      if (this.observer) this.observe(mean, variance, count);
      if (kwargs.training && this.movesAverages) this.updateMovingAverages(mean, variance, count);
      return y;
    });
  }

  /** Replaces the moving statistics outright (AdaBN). `variance` is the unbiased estimate. */
  setMovingStatistics(mean: ArrayLike<number>, variance: ArrayLike<number>): void {
    tf.tidy(() => {
      this.movingMean.write(tf.tensor1d(Float32Array.from(mean)));
      this.movingVariance.write(tf.tensor1d(Float32Array.from(variance)));
    });
  }

  /** One momentum step towards statistics taken elsewhere (merged micro-batches); unbiased variance. */
  foldIntoAverages(mean: ArrayLike<number>, variance: ArrayLike<number>): void {
    tf.tidy(() => {
      this.movingMean.write(movingAverage(this.movingMean.read(), tf.tensor1d(Float32Array.from(mean)), this.momentum, 1));
      this.movingVariance.write(movingAverage(this.movingVariance.read(), tf.tensor1d(Float32Array.from(variance)), this.momentum, 1));
    });
  }

  private observe(mean: Tensor, variance: Tensor, count: number): void {
    this.observer!(this, { mean: mean.dataSync() as Float32Array, variance: variance.dataSync() as Float32Array, count });
  }

  private normaliseWithMovingStats(x: Tensor): Tensor {
    // tfjs's batchNorm gradient needs scale and offset tensors even when the layer has none.
    const channels = this.movingMean.shape[0]!;
    return batchNormGiven(x, this.movingMean.read(), this.movingVariance.read(),
      this.gamma?.read() ?? tf.ones([channels]), this.beta?.read() ?? tf.zeros([channels]), this.epsilon, this.fusedActivation);
  }

  /**
   * The moving variance stores the unbiased estimate (count / (count − 1)), as PyTorch and
   * TensorFlow's fused BN do; stock tfjs-layers stores the biased one.
   */
  private updateMovingAverages(mean: Tensor, variance: Tensor, count: number): void {
    const keep = this.momentum;
    this.movingMean.write(movingAverage(this.movingMean.read(), mean, keep, 1));
    this.movingVariance.write(movingAverage(this.movingVariance.read(), variance, keep, count > 1 ? count / (count - 1) : 1));
  }
}

function movingAverage(moving: Tensor, value: Tensor, keep: number, scale: number): Tensor {
  if (getKernel(MOVING_AVERAGE, tf.getBackend()) != null) {
    return engine().runKernel(MOVING_AVERAGE, { moving, value }, { keep, scale } as unknown as NamedAttrMap) as Tensor;
  }
  return tf.add(tf.mul(moving, keep), tf.mul(value, (1 - keep) * scale));
}

tf.serialization.registerClass(CalibraBatchNorm as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

export function isBatchNorm(layer: tf.layers.Layer): layer is CalibraBatchNorm {
  return layer instanceof CalibraBatchNorm;
}

export function batchNorm(args: { name: string; momentum?: number; epsilon?: number }): CalibraBatchNorm {
  return new CalibraBatchNorm({ momentum: 0.99, epsilon: 1e-3, ...args });
}
