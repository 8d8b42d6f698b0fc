// Discriminative learning rates: a multiplier per layer group, as fastai's `slice(lo, hi)` gives
// earlier layers smaller steps. Pure, so tested alone.
import { InputError } from '../errors.js';

/**
 * `stem=0.1,block1=0.3` sets those groups (the rest stay at 1); `geometric:F` spreads F (for the
 * first group) to 1 (for the last) geometrically over the groups that train, in network order.
 */
export function parseLrMultipliers(spec: string, trainingGroups: readonly string[], allGroups: readonly string[]): Map<string, number> {
  const out = new Map(trainingGroups.map((g) => [g, 1]));
  const geometric = /^geometric:(.+)$/.exec(spec.trim());
  if (geometric) {
    const first = Number(geometric[1]);
    if (!(first > 0 && first <= 1)) throw new InputError(`--lr-mult ${spec}: geometric:F needs 0 < F ≤ 1 (the first group's share of the rate)`);
    const n = trainingGroups.length;
    trainingGroups.forEach((g, i) => out.set(g, n === 1 ? 1 : first ** ((n - 1 - i) / (n - 1))));
    return out;
  }
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([\w-]+)=(.+)$/.exec(part);
    const value = m ? Number(m[2]) : NaN;
    if (!m || !(value >= 0) || !Number.isFinite(value)) throw new InputError(`--lr-mult ${part}: expected GROUP=X with X ≥ 0, e.g. stem=0.1,block1=0.3, or geometric:0.1`);
    if (!allGroups.includes(m[1]!)) throw new InputError(`--lr-mult ${part}: the model has no group '${m[1]}' (groups: ${allGroups.join(', ')})`);
    if (out.has(m[1]!)) out.set(m[1]!, value);
  }
  return out;
}
