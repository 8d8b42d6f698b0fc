// Adam and SGD with momentum, each applying one fused kernel per variable when the backend has
// it, and the same arithmetic as tfjs's optimizers (tf.train.adam, tf.train.momentum) composed
// of ops otherwise. State is keyed by variable name, not by position in the gradient map.
import { engine, getKernel, type NamedAttrMap, type NamedTensorMap, type Tensor } from '@tensorflow/tfjs-core';
import { tf } from '../engine/tf.js';
import { ADAM_UPDATE, MOMENTUM_UPDATE } from '../engine/kernels/optimizer-updates.js';

export interface StepOptimizer {
  /** Updates each named variable from its gradient. */
  applyGradients(grads: NamedTensorMap): void;
  setLearningRate(lr: number): void;
  dispose(): void;
}

type Slots = Map<string, tf.Variable[]>;

function slotsFor(slots: Slots, variable: tf.Variable, count: number): tf.Variable[] {
  let s = slots.get(variable.name);
  if (!s) {
    s = Array.from({ length: count }, () => tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
    slots.set(variable.name, s);
  }
  return s;
}

function fused(kernel: string, inputs: NamedTensorMap, attrs: object): Tensor[] | null {
  if (getKernel(kernel, tf.getBackend()) == null) return null;
  return engine().runKernel(kernel, inputs, attrs as unknown as NamedAttrMap) as Tensor[];
}

export class Adam implements StepOptimizer {
  private readonly slots: Slots = new Map();
  private step = 0;
  constructor(private lr: number, private readonly beta1 = 0.9, private readonly beta2 = 0.999, private readonly epsilon = 1e-7) {}

  setLearningRate(lr: number): void {
    this.lr = lr;
  }

  applyGradients(grads: NamedTensorMap): void {
    this.step++;
    const attrs = {
      lr: this.lr, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon,
      correction1: 1 - this.beta1 ** this.step, correction2: 1 - this.beta2 ** this.step,
    };
    for (const [name, grad] of Object.entries(grads)) {
      const param = engine().registeredVariables[name]!;
      const [m, v] = slotsFor(this.slots, param, 2) as [tf.Variable, tf.Variable];
      tf.tidy(() => {
        const out = fused(ADAM_UPDATE, { param, grad, m, v }, attrs) ?? (() => {
          const m1 = tf.add(tf.mul(m, attrs.beta1), tf.mul(grad, 1 - attrs.beta1));
          const v1 = tf.add(tf.mul(v, attrs.beta2), tf.mul(tf.square(grad), 1 - attrs.beta2));
          const update = tf.div(tf.div(m1, attrs.correction1), tf.add(tf.sqrt(tf.div(v1, attrs.correction2)), attrs.epsilon));
          return [tf.sub(param, tf.mul(update, attrs.lr)), m1, v1];
        })();
        param.assign(out[0]!);
        m.assign(out[1]!);
        v.assign(out[2]!);
      });
    }
  }

  dispose(): void {
    for (const s of this.slots.values()) tf.dispose(s);
    this.slots.clear();
  }
}

/** SGD with (heavy-ball) momentum: accum = momentum·accum + grad; param −= lr·accum. */
export class Momentum implements StepOptimizer {
  private readonly slots: Slots = new Map();
  constructor(private lr: number, private readonly momentum = 0.9) {}

  setLearningRate(lr: number): void {
    this.lr = lr;
  }

  applyGradients(grads: NamedTensorMap): void {
    const attrs = { lr: this.lr, momentum: this.momentum };
    for (const [name, grad] of Object.entries(grads)) {
      const param = engine().registeredVariables[name]!;
      const [accum] = slotsFor(this.slots, param, 1) as [tf.Variable];
      tf.tidy(() => {
        const out = fused(MOMENTUM_UPDATE, { param, grad, accum }, attrs) ?? (() => {
          const a1 = tf.add(tf.mul(accum, attrs.momentum), grad);
          return [tf.sub(param, tf.mul(a1, attrs.lr)), a1];
        })();
        param.assign(out[0]!);
        accum.assign(out[1]!);
      });
    }
  }

  dispose(): void {
    for (const s of this.slots.values()) tf.dispose(s);
    this.slots.clear();
  }
}

export function optimizerFor(kind: 'sgd' | 'adam', lr: number): StepOptimizer {
  return kind === 'adam' ? new Adam(lr) : new Momentum(lr, 0.9);
}
