// From a drift profile to one or two sentences a person can act on. Pure, so the rule is tested
// on synthetic profiles.
//
// SMALL_DRIFT = 0.5 in symmetric KL per channel is what a mean shift of 0.71 held standard
// deviations does alone (drift = shift² at equal variances), or a variance ratio of 2.6 (or
// 1/2.6) alone. A 0.71σ shift moves the share of a centred unit that a following ReLU passes
// from 50% to 24% or 76%: the next layer no longer sees what it was trained on. Below it sits
// the spread of the source domain itself: the moving statistics average over the variation the
// model was trained with (the shipped digits model: exposure, blur, noise, crops), so one slice
// of the source measures up to 0.3 per group (clean digits on digits-resnet: stem 0.25, block1
// 0.30, block2 0.14, block3 0.02), while the shifted synthetic domains reach 0.6 to 3 in the
// stem or beyond.
//
// The mean drift does not predict AdaBN's gain well below the threshold: on the digits model,
// blur-noise measures at most 0.07 yet AdaBN lifts it from 82% to 96%, while clean measures 0.30
// and gains nothing. The advice therefore says "mostly" and still names AdaBN.
//
// Drift that stops in the first half of the groups is local: recalibrating those groups (and,
// in exact mode, letting the effect run downstream) removes it. Drift that reaches the second
// half of the network is not fixed by statistics alone; AdaBN over everything is the start, and
// fine-tuning the rest.

export const SMALL_DRIFT = 0.5;

export interface DriftProfileEntry {
  group: string;
  drift: number;
}

export interface DriftAdvice {
  kind: 'little' | 'early' | 'everywhere';
  /** The groups the advice names: those to recalibrate (early) or the drifting ones. */
  groups: string[];
  text: string;
}

/** Mean drift of each group's BN layers, groups in network order. */
export function groupDrift(layers: readonly DriftProfileEntry[]): { group: string; drift: number }[] {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const l of layers) {
    const s = sums.get(l.group) ?? { sum: 0, n: 0 };
    s.sum += l.drift;
    s.n += 1;
    sums.set(l.group, s);
  }
  return [...sums].map(([group, s]) => ({ group, drift: s.sum / s.n }));
}

export function adviseFromDrift(layers: readonly DriftProfileEntry[], refs: { model: string; images: string }): DriftAdvice {
  const groups = groupDrift(layers);
  const drifting = groups.filter((g) => g.drift >= SMALL_DRIFT);
  const fmt = (gs: readonly { group: string; drift: number }[]) => gs.map((g) => `${g.group} ${g.drift.toFixed(2)}`).join(', ');
  const recalibrate = `calibra recalibrate --model ${refs.model} --images ${refs.images}`;
  if (drifting.length === 0) {
    const top = groups.reduce((a, b) => (b.drift > a.drift ? b : a), groups[0] ?? { group: '-', drift: 0 });
    return {
      kind: 'little', groups: [],
      text: `Little drift: every group's BN statistics are close to these images' (largest group mean ${top.drift.toFixed(3)} in ${top.group}, under ${SMALL_DRIFT}). The gap, if any, is mostly not in BN statistics: fine-tune (calibra train --freeze last:2); AdaBN costs about one forward pass and may still help a little (${recalibrate} --out OUT).`,
    };
  }
  const lastDrifting = groups.findIndex((g) => g === drifting[drifting.length - 1]);
  if (lastDrifting < groups.length - 1 && lastDrifting < Math.ceil(groups.length / 2)) {
    const prefix = groups.slice(0, lastDrifting + 1).map((g) => g.group);
    return {
      kind: 'early', groups: prefix,
      text: `Drift is concentrated in the first groups (${fmt(drifting)}); the later ones stay under ${SMALL_DRIFT}. Recalibrate those: ${recalibrate} --groups ${prefix.join(',')} --out OUT.`,
    };
  }
  return {
    kind: 'everywhere', groups: drifting.map((g) => g.group),
    text: `Drift reaches deep into the network (${fmt(drifting)}). Recalibrate every BN layer first (${recalibrate} --mode exact --out OUT), then fine-tune the result on labelled target images (calibra train --model OUT --bn-stats update).`,
  };
}
