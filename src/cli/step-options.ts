// CLI flags become the same option objects that workflow presets hold, validated by the same
// schema; a schema complaint is reported against the flag the person typed.
import type { z } from 'zod';
import { InputError } from '../errors.js';

const kebab = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function stepOptions<S extends z.ZodTypeAny>(schema: S, raw: Record<string, unknown>): z.infer<S> {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const parsed = schema.safeParse(defined);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  throw new InputError(field ? `--${kebab(field)}: ${issue.message}` : issue.message);
}
