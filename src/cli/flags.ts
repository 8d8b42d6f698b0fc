// Typed access to parsed flags. Every failure is an InputError that names the flag.
import { parseNumberFlag, type NumberBounds } from '../options/number-flag.js';
import type { Values } from './command.js';

export function str(values: Values, flag: string): string | undefined {
  const v = values[flag];
  return typeof v === 'string' ? v : undefined;
}

export function num(values: Values, flag: string, fallback: number, bounds: NumberBounds = {}): number {
  const raw = str(values, flag);
  return raw === undefined ? fallback : parseNumberFlag(flag, raw, bounds);
}

export function flag(values: Values, name: string): boolean {
  return values[name] === true;
}
