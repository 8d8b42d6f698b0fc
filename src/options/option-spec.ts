// The one declaration of an option. CLI flags (parseArgs config and --help), the workflow
// schema's fields and the TUI's forms are all derived from these, so a name, default, range or
// help text is written once.

export type OptionKind =
  /** A file or folder; the TUI offers tab completion. */
  | 'path'
  /** Free text with its own parser (freeze specs, class maps, lr multipliers...). */
  | 'text'
  | 'number'
  | 'integer'
  /** One of `choices`. */
  | 'choice'
  /** A boolean switch; on the command line `--flag` (or `--no-flag` where `negated`). */
  | 'flag';

export interface OptionSpec {
  /** The key in the step's options and in workflow YAML (camelCase). */
  field: string;
  /** The CLI flag without dashes (kebab-case). For a `negated` flag the form that turns it off, e.g. `no-augment`. */
  flag: string;
  kind: OptionKind;
  /** For `choice`. */
  choices?: readonly string[];
  /** Inclusive bounds for `number`/`integer`. */
  min?: number;
  max?: number;
  /** Exclusive bounds, for ranges open at an end (a rate above 0, a share below 1). */
  greaterThan?: number;
  lessThan?: number;
  /** For `text`: what is wrong with a value (e.g. `expected none, backbone or last:N`), or null when it is valid. */
  check?: (value: string) => string | null;
  /** For `text`: a comma-separated list on the command line, an array of strings in a preset. */
  list?: boolean;
  /** For `text`: in a preset the value may also be a mapping {KEY: VALUE} (a class map written out). */
  mapping?: boolean;
  /** What applies when the option is absent; undefined when absence means something else (said in `help`). */
  default?: string | number | boolean;
  /** Placeholder shown in usage, e.g. `DIR`, `X`, `sgd|adam|adamw`. */
  placeholder?: string;
  /** One line for forms and the flag table; `details` continues it in --help. */
  help: string;
  details?: string;
  /** Heading this option is listed under in --help and grouped by in the TUI. */
  section: string;
  /** Required for the step to run. */
  required?: boolean;
  /** The flag turns a default-true field off (`--no-augment` sets augment=false). */
  negated?: boolean;
}
