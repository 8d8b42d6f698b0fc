// The parseArgs `options` table of a command: a value flag reads a string, a switch a boolean.
import type { ParseArgsConfig } from 'node:util';
import type { OptionSpec } from './option-spec.js';

export type FlagTable = NonNullable<ParseArgsConfig['options']>;

export function flagTable(specs: readonly OptionSpec[]): FlagTable {
  return Object.fromEntries(specs.map((spec) => [spec.flag, { type: spec.kind === 'flag' ? 'boolean' : 'string' } as const]));
}
