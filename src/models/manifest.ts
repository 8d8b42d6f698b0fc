// The manifest that sits beside every model Calibra writes: what the network is, how to feed
// it, what its outputs mean, how it was made, and a hash of its content.
import { z } from 'zod';
import { RESIZE_MODES, type ResizeMode } from '../data/decode.js';

const triple = z.tuple([z.number(), z.number(), z.number()]);

export const preprocessingSchema = z.object({
  resize: z.enum(RESIZE_MODES as [ResizeMode, ...ResizeMode[]]),
  /** model input = pixel (0..255) × scale + offset, per RGB channel. */
  scale: triple,
  offset: triple,
});
export type Preprocessing = z.infer<typeof preprocessingSchema>;

export const manifestSchema = z.object({
  format: z.literal('calibra-model'),
  version: z.literal(1),
  id: z.string(),
  description: z.string().default(''),
  architecture: z.record(z.unknown()).nullable(),
  inputShape: triple,
  preprocessing: preprocessingSchema,
  /**
   * How a manifest derived at load found its preprocessing. A manifest written to disk leaves
   * it out: it is then itself the source.
   */
  preprocessingSource: z.enum(['manifest', 'metadata', 'architecture', 'guess', 'flag']).optional(),
  /** Set at load when --preprocess chose the resize mode; like preprocessingSource, never saved. */
  resizeSource: z.literal('flag').optional(),
  classes: z.array(z.string()).min(1),
  /** `probabilities` when the last layer applies softmax itself (common in exported models). */
  output: z.enum(['logits', 'probabilities']),
  /** Augmentation that keeps labels true for this model's classes (a mirrored digit is not a digit). */
  augment: z.object({ flip: z.boolean(), cropScale: z.tuple([z.number(), z.number()]) }).default({ flip: true, cropScale: [0.35, 1] }),
  groups: z.array(z.object({ name: z.string(), layers: z.array(z.string()) })),
  bnLayers: z.number().int().nonnegative(),
  recipe: z.record(z.unknown()).default({}),
  /** Where the BN moving statistics came from, e.g. `pretrain:synth/clean` or `adabn:…`. */
  bnStatistics: z.string(),
  lineage: z.object({ parent: z.string().nullable(), dataset: z.string().nullable() }).default({ parent: null, dataset: null }),
  contentHash: z.string(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const PIXELS_0_1: Preprocessing = { resize: 'squash', scale: [1 / 255, 1 / 255, 1 / 255], offset: [0, 0, 0] };
export const PIXELS_MINUS1_1: Preprocessing = { resize: 'squash', scale: [2 / 255, 2 / 255, 2 / 255], offset: [-1, -1, -1] };
