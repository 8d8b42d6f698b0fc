// Typed access to parsed flags. Every failure is an InputError that names the flag.
import { InputError } from '../errors.js';
import type { Values } from './command.js';

export function str(values: Values, flag: string): string | undefined {
  const v = values[flag];
  return typeof v === 'string' ? v : undefined;
}

export function required(values: Values, flag: string, what: string): string {
  const v = str(values, flag);
  if (v === undefined || v === '') throw new InputError(`--${flag} is required: ${what}`);
  return v;
}

/** Seeds are 32-bit: the generators take them as unsigned integers. */
export const SEED_RANGE = { min: 0, max: 2 ** 32 - 1, integer: true } as const;

export function num(values: Values, flag: string, fallback: number, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
  const raw = str(values, flag);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  const kind = opts.integer ? 'an integer' : 'a number';
  if (raw.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n))) throw new InputError(`--${flag} ${raw}: expected ${kind}`);
  if (opts.min !== undefined && n < opts.min) throw new InputError(`--${flag} ${raw}: must be at least ${opts.min}`);
  if (opts.max !== undefined && n > opts.max) throw new InputError(`--${flag} ${raw}: must be at most ${opts.max}`);
  return n;
}

export function flag(values: Values, name: string): boolean {
  return values[name] === true;
}
