// Typed errors. Commands throw these; the CLI entry is the one place that maps them to exit codes.

/** Bad usage or bad input: a flag, a file, a folder. Exit code 2. The message names the culprit. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Something failed while running with valid input. Exit code 1. */
export class RunError extends Error {
  override readonly name = 'RunError';
}
