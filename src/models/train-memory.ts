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
   * The pass's input and every layer's output, frozen groups' included: the tape records every
   * op while a step's gradients are taken, so all of them are alive when the forward pass ends.
   * The backward pass then releases each op's saved tensors and each gradient as soon as it is
   * done with them (engine/freeing-gradients.ts), and a ReLU fused into its BN layer adds no
   * tensor of its own, so the forward's end is about the peak. Measured on native with the
   * wasm heap's own malloc and free (test/native/train-memory-measured.test.ts): this comes
   * 1.2–1.4× above a step's peak for the shipped digits ResNet and a MobileNetV2; the wasm
   * engine, without the fusion, needs more but stays below it (its largest MobileNetV2 batch,
   * 128 in 4 GiB, is about 31 MiB per image, against 34 MiB counted here).
   */
  activations: number;
  total: number;
}

/** Bytes, by the rule in each field's comment. */
export function estimateTrainMemory(a: TrainMemoryArgs): TrainMemory {
  const params = a.groups.reduce((s, g) => s + g.params, 0);
  const trained = a.groups.filter((g) => g.trains).reduce((s, g) => s + g.params, 0);
  const kept = a.groups.reduce((s, g) => s + g.activations, 0);
  const weights = params * FLOAT;
  const training = trained * FLOAT * (1 + (a.accum > 1 ? 1 : 0) + a.optimizerSlots);
  const activations = a.batch * (a.inputElements + kept) * FLOAT;
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
