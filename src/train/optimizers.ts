// SGD (momentum, Nesterov), Adam and AdamW. On the native engine one call updates all of a
// step's variables in place; a variable it cannot take (its memory shared with another tensor),
// and every variable on other engines, gets one fused kernel where the backend has it, and the
// same arithmetic composed of tfjs ops otherwise. The update rules are PyTorch's
// (torch.optim.SGD, Adam, AdamW), so a recipe means the same thing on both sides.
// State is keyed by variable name, not by position in the gradient map.
import { engine, getKernel, type NamedAttrMap, type NamedTensorMap, type Tensor } from '@tensorflow/tfjs-core';
import { tf } from '../engine/tf.js';
import { ADAM_UPDATE, MOMENTUM_UPDATE } from '../engine/kernels/optimizer-updates.js';
import { adamUpdateInPlace } from '../engine/native/calibra-adam-update.js';
import { momentumUpdateInPlace } from '../engine/native/calibra-momentum-update.js';

export const OPTIMIZERS = ['sgd', 'adam', 'adamw'] as const;
export type OptimizerKind = (typeof OPTIMIZERS)[number];

export interface StepOptimizer {
  /** Updates each named variable from its gradient. */
  applyGradients(grads: NamedTensorMap): void;
  /** The base rate; each variable's own rate is this times its multiplier. */
  setLearningRate(lr: number): void;
  /** What carries from step to step; the tensors are the optimizer's own, valid until its next step. */
  state(): OptimizerState;
  /** Continues from a state taken by state() of an optimizer of the same kind; replaces what it held. */
  restore(state: OptimizerState): void;
  dispose(): void;
}

/** An optimizer's memory, keyed by variable name, so it survives a checkpoint and a rebuilt model. */
export interface OptimizerState {
  /** Updates applied so far (Adam's bias correction depends on it). */
  updates: number;
  /** Per variable, its slots in the optimizer's order: Adam m then v; SGD the momentum accumulator. */
  slots: Map<string, tf.Tensor[]>;
}

export interface OptimizerOptions {
  /** Weight decay: an L2 term in the gradient for sgd and adam, decoupled for adamw. Default 0. */
  weightDecay?: number;
  /** Variables that never decay (biases, BN gamma and beta, by the usual convention). */
  noDecay?: ReadonlySet<string>;
  /** Per-variable learning-rate multipliers (discriminative rates); 1 where absent. */
  lrScale?: ReadonlyMap<string, number>;
  /** SGD only. Default 0.9. */
  momentum?: number;
  nesterov?: boolean;
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

abstract class SlotOptimizer implements StepOptimizer {
  protected readonly slots: Slots = new Map();
  protected updates = 0;
  constructor(protected lr: number, protected readonly options: OptimizerOptions = {}) {}

  setLearningRate(lr: number): void {
    this.lr = lr;
  }

  protected rateOf(name: string): number {
    return this.lr * (this.options.lrScale?.get(name) ?? 1);
  }

  protected decayOf(name: string): number {
    return this.options.noDecay?.has(name) ? 0 : this.options.weightDecay ?? 0;
  }

  abstract applyGradients(grads: NamedTensorMap): void;

  state(): OptimizerState {
    return { updates: this.updates, slots: new Map(this.slots) };
  }

  restore(state: OptimizerState): void {
    this.dispose();
    this.updates = state.updates;
    for (const [name, tensors] of state.slots) this.slots.set(name, tensors.map((t) => tf.tidy(() => tf.variable(t.clone(), false))));
  }

  dispose(): void {
    for (const s of this.slots.values()) tf.dispose(s);
    this.slots.clear();
  }
}

/** Adam, or AdamW when `decoupled`: p ← p·(1 − lr·wd) − lr·m̂/(√v̂ + ε). */
export class Adam extends SlotOptimizer {
  constructor(lr: number, options: OptimizerOptions = {}, private readonly decoupled = false,
    private readonly beta1 = 0.9, private readonly beta2 = 0.999, private readonly epsilon = 1e-7) {
    super(lr, options);
  }

  applyGradients(grads: NamedTensorMap): void {
    this.updates++;
    const step = {
      beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon,
      correction1: 1 - this.beta1 ** this.updates, correction2: 1 - this.beta2 ** this.updates,
    };
    const updates = Object.entries(grads).map(([name, grad]) => {
      const param = engine().registeredVariables[name]!;
      const [m, v] = slotsFor(this.slots, param, 2) as [tf.Variable, tf.Variable];
      const wd = this.decayOf(name);
      return { param, grad, m, v, lr: this.rateOf(name), l2: this.decoupled ? 0 : wd, decay: this.decoupled ? wd : 0 };
    });
    for (const { param, grad, m, v, ...rates } of adamUpdateInPlace(step, updates)) {
      const attrs = { ...step, ...rates };
      tf.tidy(() => {
        const out = fused(ADAM_UPDATE, { param, grad, m, v }, attrs) ?? (() => {
          const g = attrs.l2 ? tf.add(grad, tf.mul(param, attrs.l2)) : grad;
          const m1 = tf.add(tf.mul(m, attrs.beta1), tf.mul(g, 1 - attrs.beta1));
          const v1 = tf.add(tf.mul(v, attrs.beta2), tf.mul(tf.square(g), 1 - attrs.beta2));
          const update = tf.div(tf.div(m1, attrs.correction1), tf.add(tf.sqrt(tf.div(v1, attrs.correction2)), attrs.epsilon));
          return [tf.sub(tf.mul(param, 1 - attrs.lr * attrs.decay), tf.mul(update, attrs.lr)), m1, v1];
        })();
        param.assign(out[0]!);
        m.assign(out[1]!);
        v.assign(out[2]!);
      });
    }
  }
}

/** SGD with heavy-ball or Nesterov momentum: a ← μ·a + g; p ← p − lr·(nesterov ? g + μ·a : a). */
export class Momentum extends SlotOptimizer {
  applyGradients(grads: NamedTensorMap): void {
    this.updates++;
    const step = { momentum: this.options.momentum ?? 0.9, nesterov: this.options.nesterov ?? false };
    const { momentum, nesterov } = step;
    const updates = Object.entries(grads).map(([name, grad]) => {
      const param = engine().registeredVariables[name]!;
      const [accum] = slotsFor(this.slots, param, 1) as [tf.Variable];
      return { param, grad, accum, lr: this.rateOf(name), l2: this.decayOf(name) };
    });
    for (const { param, grad, accum, lr, l2 } of momentumUpdateInPlace(step, updates)) {
      const attrs = { lr, momentum, l2, nesterov };
      tf.tidy(() => {
        const out = fused(MOMENTUM_UPDATE, { param, grad, accum }, attrs) ?? (() => {
          const g = attrs.l2 ? tf.add(grad, tf.mul(param, attrs.l2)) : grad;
          const a1 = tf.add(tf.mul(accum, momentum), g);
          const step = nesterov ? tf.add(g, tf.mul(a1, momentum)) : a1;
          return [tf.sub(param, tf.mul(step, attrs.lr)), a1];
        })();
        param.assign(out[0]!);
        accum.assign(out[1]!);
      });
    }
  }
}

export function optimizerFor(kind: OptimizerKind, lr: number, options: OptimizerOptions = {}): StepOptimizer {
  switch (kind) {
    case 'adam': return new Adam(lr, options);
    case 'adamw': return new Adam(lr, options, true);
    case 'sgd': return new Momentum(lr, options);
  }
}
