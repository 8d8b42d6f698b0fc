// Calibra's BatchNormalization: the tfjs-layers class, with `call` replaced so that the layer
// obeys an explicit BnPolicy. It keeps tfjs's weights and config, so a model saved from Calibra
// loads in stock tfjs, and registering it under the same class name means every model Calibra
// loads gets this behaviour.
import { engine, getKernel, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { tf } from '../engine/tf.js';
import { batchNormTrain } from './batch-norm-train-op.js';
import { MOVING_AVERAGE } from '../engine/kernels/moving-average.js';
import type { BnPolicy, BnStatsMode } from './batch-norm-policy.js';

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

  applyPolicy(policy: BnPolicy): void {
    this.statsMode = policy.stats;
    if (policy.momentum !== undefined) this.momentum = policy.momentum;
    if (policy.epsilon !== undefined) this.epsilon = policy.epsilon;
    const affineTrainable = policy.affine === 'train';
    for (const w of [this.gamma, this.beta]) if (w) w.trainable = affineTrainable;
  }

  override call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const channelsLast = this.axis === -1 || this.axis === x.rank - 1;
      if (!kwargs.training || this.statsMode === 'freeze' || !channelsLast) {
        if (kwargs.training && this.statsMode !== 'freeze' && !channelsLast) {
          throw new Error(`BatchNormalization '${this.name}': only channels-last (axis -1) is supported in training`);
        }
        return this.normaliseWithMovingStats(x);
      }
      const { y, mean, variance } = batchNormTrain(x, this.gamma?.read() ?? null, this.beta?.read() ?? null, this.epsilon);
      this.updateMovingAverages(mean, variance, x.size / x.shape[x.rank - 1]!);
      return y;
    });
  }

  private normaliseWithMovingStats(x: Tensor): Tensor {
    // tfjs's batchNorm gradient needs scale and offset tensors even when the layer has none.
    const channels = this.movingMean.shape[0]!;
    return tf.batchNorm(x, this.movingMean.read(), this.movingVariance.read(),
      this.beta?.read() ?? tf.zeros([channels]), this.gamma?.read() ?? tf.ones([channels]), this.epsilon);
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
