import type { OptionSpec } from './option-spec.js';

export interface OptionSection {
  section: string;
  options: readonly OptionSpec[];
}

/** Options grouped by section, sections in the order they first appear, options in declaration order. */
export function sectionsOf(specs: readonly OptionSpec[]): OptionSection[] {
  const groups = new Map<string, OptionSpec[]>();
  for (const spec of specs) groups.set(spec.section, [...(groups.get(spec.section) ?? []), spec]);
  return [...groups].map(([section, options]) => ({ section, options }));
}
