// Parsed flags become the raw option object a step's schema validates. A flag left out stays
// undefined, so the schema's defaults (the declarations' defaults) apply, exactly as in a preset.
// Numbers are read here, where the typed text is still at hand for the message
// ("--batch -3: must be at least 1"); choices and text checks are left to the schema.
import { InputError } from '../errors.js';
import type { OptionSpec } from './option-spec.js';
import { parseNumberFlag } from './number-flag.js';

function requiredReason(spec: OptionSpec): string {
  return spec.kind === 'choice' ? `${spec.help} (choose from ${spec.choices!.join(', ')})` : spec.help;
}

function flagValue(spec: OptionSpec, parsed: unknown): unknown {
  if (spec.kind === 'flag') return parsed === true ? !spec.negated : undefined;
  const raw = typeof parsed === 'string' ? parsed : undefined;
  if (spec.required && (raw === undefined || raw === '')) throw new InputError(`--${spec.flag} is required: ${requiredReason(spec)}`);
  if (raw === undefined) return undefined;
  if (spec.kind === 'number' || spec.kind === 'integer') return parseNumberFlag(spec.flag, raw, { ...spec, integer: spec.kind === 'integer' });
  if (spec.list) return raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return raw;
}

/** `values` as node's parseArgs returns them, keyed by flag. */
export function flagValues(specs: readonly OptionSpec[], values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(specs.map((spec) => [spec.field, flagValue(spec, values[spec.flag])]));
}
