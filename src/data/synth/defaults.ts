// The synthetic generator's defaults, in one place for the CLI, the library and the docs.

export const SYNTH_DEFAULTS = {
  /** Image side in pixels. */
  size: 32,
  perClass: 100,
  seed: 0,
} as const;
