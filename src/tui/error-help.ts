// An error as the UI shows it: the one-line message, and what to try. Pure.

export interface ErrorHelp {
  message: string;
  fix: string;
}

/** The flags the UI's fields stand for, so a message naming `--images` points at the field to change. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  model: 'the Model field',
  images: 'the Unlabelled/Images field',
  data: 'the Labelled target field',
  out: 'the Out field',
  groups: 'the Groups field',
  mode: 'the Mode',
  'min-images': 'the Min images field',
};

/**
 * Bad input names its flag first (`--images DIR: ...`); the fix is then to change the field that
 * sets it, on the form or (`run`) on the form esc leads back to. Anything else failed while running, and its record in the store has the details.
 */
export function errorHelp(error: unknown, shownOn: 'form' | 'run' = 'run'): ErrorHelp {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  const isInput = error instanceof Error && error.name === 'InputError';
  // The last flag named is the one a message suggests changing ("--images D: too few; --min-images N lowers the floor").
  const flags = [...message.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]!).filter((f) => f in FIELD_LABELS);
  const label = flags.length > 0 ? FIELD_LABELS[flags.at(-1)!] : undefined;
  // On the form the field is right there; on a run's screen esc leads back to the form.
  const lead = shownOn === 'form' ? '' : 'esc, then ';
  const then = shownOn === 'form' ? 'press enter' : 'run again';
  if (label !== undefined) return { message, fix: `${lead}change ${label} and ${then}` };
  if (isInput) return { message, fix: `${lead}check the fields and the files they name, and ${then}` };
  return { message, fix: "the run's record has the details: r runs from home; on the command line: calibra runs show ID" };
}
