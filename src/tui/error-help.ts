// An error as the UI shows it: the one-line message, and what to try. Pure.

export interface ErrorHelp {
  message: string;
  fix: string;
}

/** The flags the UI's fields stand for, so a message naming `--images` points at the field to change. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  model: 'the model field',
  images: 'the unlabelled/images folder',
  data: 'the labelled target folder',
  out: 'the out folder',
  groups: 'the groups field',
  mode: 'the mode',
};

/**
 * Bad input names its flag first (`--images DIR: ...`); the fix is then to change the field that
 * sets it. Anything else failed while running, and its record in the store has the details.
 */
export function errorHelp(error: unknown): ErrorHelp {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  const isInput = error instanceof Error && error.name === 'InputError';
  const flag = /--([a-z][a-z-]*)/.exec(message)?.[1];
  const label = flag !== undefined ? FIELD_LABELS[flag] : undefined;
  if (label !== undefined) return { message, fix: `change ${label} (esc goes back to the form) and run again` };
  if (isInput) return { message, fix: 'check the fields and the files they name (esc goes back to the form), then run again' };
  return { message, fix: "the run's record has the details: r runs from home; on the command line: calibra runs show ID" };
}
