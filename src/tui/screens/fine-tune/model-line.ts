// The one-line descriptions of the wizard's choices, shown under its title once made.
import type { ModelSummary } from '../../../models/model-summary.js';

export function modelLine(m: ModelSummary): string {
  return `${m.id} · ${m.groups.length} groups · ${m.bnLayers} BN · ${m.inputShape.join('×')} · ${m.preprocessing} from ${m.preprocessingSource}`;
}

/** e.g. "stem 1 BN · block1 4 BN · head 0 BN". */
export function groupsLine(m: ModelSummary): string {
  return m.groups.map((g) => `${g.name} ${g.bnLayers} BN`).join(' · ');
}
