// The flag sections of a command's --help, from its option declarations: each section's heading,
// then per flag its usage form, its one-line help with the default, and its details below.
import type { OptionSpec } from './option-spec.js';
import { sectionsOf } from './sections.js';

const WIDTH = 100;
/** Where the help column starts; a longer flag form puts its help on the next line. */
const COLUMN = 25;

const PLACEHOLDER_BY_KIND = { path: 'PATH', text: 'TEXT', number: 'X', integer: 'N' } as const;

export function flagForm(spec: OptionSpec): string {
  if (spec.kind === 'flag') return `--${spec.flag}`;
  const placeholder = spec.placeholder ?? (spec.kind === 'choice' ? spec.choices!.join('|') : PLACEHOLDER_BY_KIND[spec.kind]);
  return `--${spec.flag} ${placeholder}`;
}

/** The one line a form or the flag table shows: the help, and the default when one applies. */
export function helpLine(spec: OptionSpec): string {
  return spec.default === undefined || spec.kind === 'flag' ? spec.help : `${spec.help} (default ${spec.default})`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

/**
 * One row: `label` in the flag column, `help` word-wrapped beside it, and `details` below it
 * line for line (details are laid out by hand: they hold aligned lists).
 */
export function helpRow(label: string, help: string, details?: string): string {
  const pad = ' '.repeat(COLUMN);
  const text = wrap(help, WIDTH - COLUMN).map((line) => pad + line);
  const body = [...text, ...(details === undefined ? [] : details.split('\n').map((line) => pad + line))];
  const head = `  ${label}`;
  if (head.length < COLUMN - 1) return [head.padEnd(COLUMN) + body[0]!.slice(COLUMN), ...body.slice(1)].join('\n');
  return [head, ...body].join('\n');
}

export function flagSections(specs: readonly OptionSpec[]): string {
  return sectionsOf(specs)
    .map(({ section, options }) => [section, ...options.map((spec) => helpRow(flagForm(spec), helpLine(spec), spec.details))].join('\n'))
    .join('\n');
}
