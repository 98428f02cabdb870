/** Candidate pairs as two parallel lists (app resource i goes with IdP resource i). */
export interface CandidatePairs {
  app: number[];
  idp: number[];
}

/** The candidate pairs one correlation rule produced. */
export interface RuleCandidates {
  /** How the rule reads in messages, e.g. `userName ↔ userName (case-insensitive)`. */
  label: string;
  pairs: CandidatePairs;
}

export interface Correlation {
  /** app resource → the IdP identity it belongs to, and the rule that decided. */
  matches: Map<number, { idpRes: number; rule: string }>;
  /** app resource → several IdP identities under the first rule that matched it at all. */
  ambiguous: Map<number, { idpRes: number[]; rule: string }>;
  /** IdP resource → the app accounts matched to it. */
  byIdp: Map<number, number[]>;
}

/**
 * Applies rules in order: an app account is decided by the first rule that yields any candidate.
 * One candidate is a match; several are ambiguous and no later rule may override that, because a
 * weaker rule picking one of them would be a guess.
 */
export function correlate(rules: readonly RuleCandidates[]): Correlation {
  const matches = new Map<number, { idpRes: number; rule: string }>();
  const ambiguous = new Map<number, { idpRes: number[]; rule: string }>();
  for (const rule of rules) {
    // Nearly every account has exactly one candidate: keep a number per account, and a list only
    // for the few with more (a Set per account costs 100k allocations on a large tenant).
    const first = new Map<number, number>();
    const more = new Map<number, Set<number>>();
    for (let k = 0; k < rule.pairs.app.length; k++) {
      const appRes = rule.pairs.app[k] as number;
      const idpRes = rule.pairs.idp[k] as number;
      if (matches.has(appRes) || ambiguous.has(appRes)) continue;
      const seen = first.get(appRes);
      if (seen === undefined) first.set(appRes, idpRes);
      else if (seen !== idpRes) {
        const set = more.get(appRes) ?? new Set([seen]);
        set.add(idpRes);
        more.set(appRes, set);
      }
    }
    for (const [appRes, idpRes] of first) {
      const set = more.get(appRes);
      if (set) ambiguous.set(appRes, { idpRes: [...set].sort((a, b) => a - b), rule: rule.label });
      else matches.set(appRes, { idpRes, rule: rule.label });
    }
  }
  const byIdp = new Map<number, number[]>();
  for (const [appRes, m] of matches) {
    const list = byIdp.get(m.idpRes);
    if (list) list.push(appRes);
    else byIdp.set(m.idpRes, [appRes]);
  }
  return { matches, ambiguous, byIdp };
}
