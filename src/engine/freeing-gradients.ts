// `tf.variableGrads`, with memory released as the backward pass goes.
//
// tfjs keeps every tensor a backward pass touches until the pass ends: the tensors each op saved
// for its gradient, and the gradient of every intermediate tensor. At the end of a MobileNetV2
// step both are alive at once, so peak memory is about twice the forward pass's. Here each op's
// saved tensors are released as soon as its gradient has run, and each intermediate gradient as
// soon as the op that produced the tensor has consumed it, so the peak is about the forward
// pass's. The gradients themselves are computed by tfjs's own gradient functions, in tfjs's
// order, so they are the same numbers.
//
// This walks tfjs's tape, which tfjs keeps internal: the engine members used are described
// below and checked for, so a tfjs upgrade that moves them falls back to tf.variableGrads
// rather than failing.
import { engine, ones, add, type NamedTensorMap, type Scalar, type Tensor, type Variable } from '@tensorflow/tfjs-core';
import { tf } from './tf.js';

/** One recorded op: what tfjs's engine pushes on its tape while gradients are being recorded. */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, Tensor>;
  outputs: Tensor[];
  saved?: Tensor[];
  gradient?: (dys: (Tensor | null)[]) => Record<string, () => Tensor>;
}

interface EngineInternals {
  state: { gradientDepth: number; activeTape: TapeNode[] | null };
  startTape(): void;
  endTape(): void;
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  tidy<T>(name: string, f: () => T): T;
}

function internals(): EngineInternals | null {
  const e = engine() as unknown as Partial<EngineInternals>;
  const ok = typeof e.startTape === 'function' && typeof e.endTape === 'function' && typeof e.scopedRun === 'function'
    && typeof e.tidy === 'function' && typeof e.state?.gradientDepth === 'number';
  return ok ? (e as EngineInternals) : null;
}

/** The ops on a path from `xs` to `y`, in tape order, each with only its inputs that depend on `xs`. */
function pathNodes(tape: readonly TapeNode[], xs: readonly Tensor[], y: Tensor): TapeNode[] {
  const fromX = new Set<number>(xs.map((x) => x.id));
  const nodeFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      nodeFromX.add(node.id);
      for (const o of node.outputs) fromX.add(o.id);
    }
  }
  const toY = new Set<number>([y.id]);
  const nodeToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]!;
    if (node.outputs.some((o) => toY.has(o.id))) {
      nodeToY.add(node.id);
      for (const t of Object.values(node.inputs)) toY.add(t.id);
    }
  }
  return tape
    .filter((n) => nodeFromX.has(n.id) && nodeToY.has(n.id))
    .map((n) => ({ ...n, inputs: Object.fromEntries(Object.entries(n.inputs).filter(([, t]) => fromX.has(t.id))) }));
}

/**
 * Gradients of tensor ids, holding each gradient tensor once however many ids share it (a
 * gradient function may hand back the very tensor it was given), so that releasing one id's
 * gradient never frees another's.
 */
class GradientTable {
  private readonly byId = new Map<number, Tensor>();
  private readonly holders = new Map<Tensor, number>();

  get(id: number): Tensor | undefined {
    return this.byId.get(id);
  }

  set(id: number, g: Tensor): void {
    this.release(id);
    this.byId.set(id, g);
    this.holders.set(g, (this.holders.get(g) ?? 0) + 1);
  }

  /** Forgets id's gradient and frees the tensor if nothing else holds it. */
  release(id: number): void {
    const g = this.byId.get(id);
    if (g === undefined) return;
    this.byId.delete(id);
    const left = this.holders.get(g)! - 1;
    if (left > 0) this.holders.set(g, left);
    else {
      this.holders.delete(g);
      g.dispose();
    }
  }
}

function checkGradient(node: TapeNode, name: string, dx: Tensor, x: Tensor): void {
  if (dx.dtype !== 'float32') throw new Error(`gradient of ${node.kernelName} input '${name}' has dtype ${dx.dtype}, not float32`);
  if (dx.shape.length !== x.shape.length || dx.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`gradient of ${node.kernelName} input '${name}' has shape [${dx.shape}], its input [${x.shape}]`);
  }
}

/**
 * The value of `f` (a scalar) and its gradient with respect to each trainable variable in
 * `variables`, by name; as tf.variableGrads, which it falls back to when nested inside another
 * gradient computation (whose tape must stay whole) or when the tape is not readable.
 */
export function variableGradsFreeing(f: () => Scalar, variables: readonly Variable[]): { value: Scalar; grads: NamedTensorMap } {
  const eng = internals();
  if (eng === null || eng.state.gradientDepth > 0) return tf.variableGrads(f, [...variables]);
  const xs = variables.filter((v) => v.trainable);
  if (xs.length === 0) throw new Error('no trainable variables to differentiate');

  const y = eng.scopedRun(() => eng.startTape(), () => eng.endTape(), () => eng.tidy('forward', f));
  const tape = eng.state.activeTape!;
  eng.state.activeTape = null;
  try {
    if (y.rank !== 0) throw new Error(`the loss must be a scalar, not rank ${y.rank}`);
    return eng.tidy('backward', () => {
      const table = new GradientTable();
      table.set(y.id, ones(y.shape));
      for (const node of pathNodes(tape, xs, y).reverse()) {
        if (node.gradient === undefined) throw new Error(`no gradient is registered for ${node.kernelName}`);
        const names = Object.keys(node.inputs);
        // One scope for the node's whole gradient: a custom gradient (tf.customGrad) computes its
        // values eagerly, outside the per-input functions, and those would otherwise live until
        // the pass ends.
        const dxs = eng.tidy(node.kernelName, () => {
          const inputGradients = node.gradient!(node.outputs.map((o) => table.get(o.id) ?? null));
          return names.map((name) => {
            const thunk = inputGradients[name];
            if (thunk === undefined) throw new Error(`${node.kernelName} has no gradient for its input '${name}'`);
            return thunk();
          });
        });
        names.forEach((name, i) => {
          const x = node.inputs[name]!;
          const dx = dxs[i]!;
          checkGradient(node, name, dx, x);
          const previous = table.get(x.id);
          table.set(x.id, previous === undefined ? dx : add(previous, dx));
        });
        // Every consumer of these outputs came later on the tape, so their gradients are complete and used.
        for (const o of node.outputs) table.release(o.id);
        for (const t of node.saved ?? []) t.dispose();
      }
      if (!xs.some((x) => table.get(x.id) !== undefined)) throw new Error('the loss does not depend on any trainable variable');
      const grads: NamedTensorMap = {};
      for (const x of xs) {
        const g = table.get(x.id);
        if (g !== undefined) grads[x.name] = g;
      }
      return { value: y, grads };
    });
  } finally {
    for (const node of tape) for (const t of node.saved ?? []) t.dispose();
  }
}
