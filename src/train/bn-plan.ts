// Which BN policy each layer group gets. Pure (no tfjs), so the layering of defaults and
// overrides, and the errors for names the model lacks, are tested alone.
import { InputError } from '../errors.js';
import type { BnPolicy } from '../bn/batch-norm-policy.js';

/** Any subset of a policy's fields; what is left out comes from the level below. */
export type BnOverrides = Partial<BnPolicy>;

export interface BnPlan {
  /** Applies to every group that trains, over the flat settings (the CLI's --bn-* flags). */
  default?: BnOverrides;
  /** Per group name, over `default`. */
  groups?: Readonly<Record<string, BnOverrides>>;
}

const FROZEN: BnPolicy = { stats: 'freeze', affine: 'freeze' };

/**
 * The policy for the BN layers of each group: a frozen group keeps its BN layers exactly as
 * loaded (statistics, affine, epsilon), and an override that asks otherwise is an error rather
 * than silently ignored; a training group takes `base`, then `plan.default`, then its own entry.
 */
export function groupBnPolicies(groupNames: readonly string[], training: ReadonlySet<string>, base: BnPolicy, plan: BnPlan = {}): Map<string, BnPolicy> {
  const overrides = plan.groups ?? {};
  for (const [name, o] of Object.entries(overrides)) {
    if (!groupNames.includes(name)) throw new InputError(`bn.groups.${name}: the model has no group '${name}' (its groups: ${groupNames.join(', ')})`);
    const contradicts = (o.stats ?? 'freeze') !== 'freeze' || (o.affine ?? 'freeze') !== 'freeze' || o.momentum !== undefined || o.epsilon !== undefined;
    if (!training.has(name) && contradicts) {
      throw new InputError(`bn.groups.${name}: the group is frozen by 'freeze', so its BN layers stay exactly as loaded; train the group or drop the override`);
    }
  }
  const defined = (o: BnOverrides | undefined): BnOverrides => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));
  return new Map(groupNames.map((name) => [name, training.has(name)
    ? { ...base, ...defined(plan.default), ...defined(overrides[name]) }
    : FROZEN]));
}
