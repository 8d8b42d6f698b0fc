// A flag's text as a number, or an InputError that names the flag, the value and the broken bound.
import { InputError } from '../errors.js';

export interface NumberBounds {
  integer?: boolean;
  min?: number;
  max?: number;
  greaterThan?: number;
  lessThan?: number;
}

export function parseNumberFlag(flag: string, raw: string, bounds: NumberBounds): number {
  const n = Number(raw);
  const kind = bounds.integer ? 'an integer' : 'a number';
  const fail = (why: string) => new InputError(`--${flag} ${raw}: ${why}`);
  if (raw.trim() === '' || !Number.isFinite(n) || (bounds.integer && !Number.isInteger(n))) throw fail(`expected ${kind}`);
  if (bounds.min !== undefined && n < bounds.min) throw fail(`must be at least ${bounds.min}`);
  if (bounds.max !== undefined && n > bounds.max) throw fail(`must be at most ${bounds.max}`);
  if (bounds.greaterThan !== undefined && n <= bounds.greaterThan) throw fail(`must be greater than ${bounds.greaterThan}`);
  if (bounds.lessThan !== undefined && n >= bounds.lessThan) throw fail(`must be less than ${bounds.lessThan}`);
  return n;
}
