// A step the UI builds, validated by the same schemas as a preset's, so defaults and checks are
// those `calibra run` applies; a field that fails is named by its flag, as the CLI would.
import { InputError } from '../errors.js';
import { parseStep, type Step } from '../workflows/schema.js';

const kebab = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `raw` as in a preset: `{name?, <kind>: {...options}}`. */
export function buildStep(raw: Record<string, unknown>): Step {
  const parsed = parseStep(raw);
  if (!('path' in parsed)) return parsed;
  const field = parsed.path[1];
  throw new InputError(typeof field === 'string' ? `--${kebab(field)}: ${parsed.message}` : parsed.message);
}
