// A rough figure for the memory one training step needs, so a person choosing a batch size
// sees before the run whether it fits. Approximate by design: it counts float32 tensors that
// must be alive at the peak of a step and ignores kernels' scratch space and allocator slack.

const FLOAT = 4;

export interface GroupLoad {
  /** Weights in the group. */
  params: number;
  /** Output elements per image over the group's layers. */
  activations: number;
  trains: boolean;
}

export interface TrainMemoryArgs {
  /** The model's groups, input to output. */
  groups: readonly GroupLoad[];
  /** Elements of one input image (h·w·c). */
  inputElements: number;
  /** Images per pass (micro-batch). */
  batch: number;
  /** Passes per optimizer step; above 1 the gradients are summed in a buffer of their own. */
  accum: number;
  /** Tensors the optimizer keeps per trained weight (see optimizerSlots). */
  optimizerSlots: number;
}

export interface TrainMemory {
  weights: number;
  /** Gradients, the accumulation buffer and optimizer state of the weights that train. */
  training: number;
  /**
   * The pass's input, every layer's output (kept for the backward pass), and, from the first
   * group that trains to the output, two tensors the size of each output: the gradient arriving
   * and the one being computed. For a full fine-tune step of digits-resnet (wasm) this came 5%
   * (batch 8) and 8% (batch 32) above tf.profile's peak; frozen groups were not measured.
   */
  activations: number;
  total: number;
}

/** Bytes, by the rule in each field's comment. */
export function estimateTrainMemory(a: TrainMemoryArgs): TrainMemory {
  const params = a.groups.reduce((s, g) => s + g.params, 0);
  const trained = a.groups.filter((g) => g.trains).reduce((s, g) => s + g.params, 0);
  const firstTrained = a.groups.findIndex((g) => g.trains);
  const kept = a.groups.reduce((s, g) => s + g.activations, 0);
  const backward = firstTrained < 0 ? 0 : a.groups.slice(firstTrained).reduce((s, g) => s + g.activations, 0);
  const weights = params * FLOAT;
  const training = trained * FLOAT * (1 + (a.accum > 1 ? 1 : 0) + a.optimizerSlots);
  const activations = a.batch * (a.inputElements + kept + 2 * backward) * FLOAT;
  return { weights, training, activations, total: weights + training + activations };
}

/** The trainer's optimizers keep per weight: SGD its momentum accumulator, Adam and AdamW m and v. */
export function optimizerSlots(optimizer: string): number {
  return optimizer === 'sgd' ? 1 : 2;
}

/** "0.31 GiB", "48 MiB": two significant places for a figure that is only approximate. */
export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${Math.max(1, Math.round(bytes / 2 ** 20))} MiB`;
}
