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
  /** The IdP identity an app account belongs to, if one rule decided it. */
  idpOf(appRes: number): number | undefined;
  /** The label of the rule that matched an app account. */
  ruleOf(appRes: number): string | undefined;
  /** Every match, in app resource order. */
  forEachMatch(visit: (appRes: number, idpRes: number) => void): void;
  /** app resource → several IdP identities under the first rule that matched it at all. */
  ambiguous: ReadonlyMap<number, { idpRes: number[]; rule: string }>;
  /** The app accounts matched to an IdP identity, in resource order. */
  accountsOf(idpRes: number): number[];
  /** The account matched to an IdP identity when it has exactly one. */
  soleAccount(idpRes: number): number | undefined;
}

/** The smallest and largest id in some lists (resource ids are ≥ 1). */
function idRange(lists: ReadonlyArray<readonly number[]>): { base: number; span: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const list of lists) {
    for (const id of list) {
      if (id < min) min = id;
      if (id > max) max = id;
    }
  }
  return min > max ? { base: 0, span: 0 } : { base: min, span: max - min + 1 };
}

/**
 * Applies rules in order: an app account is decided by the first rule that yields any candidate.
 * One candidate is a match; several are ambiguous and no later rule may override that, because a
 * weaker rule picking one of them would be a guess.
 *
 * Resource ids are dense row ids, so the tables are typed arrays over each side's id range rather
 * than Maps of 100k entries with an object each (hashing and garbage collection dominated).
 */
export function correlate(rules: readonly RuleCandidates[]): Correlation {
  const app = idRange(rules.map((r) => r.pairs.app));
  const idp = idRange(rules.map((r) => r.pairs.idp));
  // app resource - app.base → matched IdP resource (0: none), and the index of the rule that decided.
  const matchIdp = new Int32Array(app.span);
  const matchRule = new Uint16Array(app.span);
  const ambiguous = new Map<number, { idpRes: number[]; rule: string }>();
  rules.forEach((rule, ruleIndex) => {
    // Nearly every account has exactly one candidate: a number per account, a Set only for the few with more.
    const first = new Int32Array(app.span);
    const more = new Map<number, Set<number>>();
    const decided: number[] = [];
    for (let k = 0; k < rule.pairs.app.length; k++) {
      const appRes = rule.pairs.app[k] as number;
      const idpRes = rule.pairs.idp[k] as number;
      const at = appRes - app.base;
      if (matchIdp[at] !== 0 || ambiguous.has(appRes)) continue;
      const seen = first[at] as number;
      if (seen === 0) {
        first[at] = idpRes;
        decided.push(appRes);
      } else if (seen !== idpRes) {
        const set = more.get(appRes) ?? new Set([seen]);
        set.add(idpRes);
        more.set(appRes, set);
      }
    }
    for (const appRes of decided) {
      const set = more.get(appRes);
      if (set) ambiguous.set(appRes, { idpRes: [...set].sort((a, b) => a - b), rule: rule.label });
      else {
        matchIdp[appRes - app.base] = first[appRes - app.base] as number;
        matchRule[appRes - app.base] = ruleIndex;
      }
    }
  });

  // IdP resource - idp.base → its only account (0: none); people with several accounts are listed apart.
  const sole = new Int32Array(idp.span);
  const several = new Map<number, number[]>();
  for (let at = 0; at < app.span; at++) {
    const idpRes = matchIdp[at] as number;
    if (idpRes === 0) continue;
    const appRes = app.base + at;
    const list = several.get(idpRes);
    if (list) list.push(appRes);
    else if (sole[idpRes - idp.base] === 0) sole[idpRes - idp.base] = appRes;
    else {
      several.set(idpRes, [sole[idpRes - idp.base] as number, appRes]);
      sole[idpRes - idp.base] = -1;
    }
  }

  const matchAt = (appRes: number): number => matchIdp[appRes - app.base] ?? 0;
  return {
    idpOf: (appRes) => matchAt(appRes) || undefined,
    ruleOf: (appRes) => (matchAt(appRes) === 0 ? undefined : rules[matchRule[appRes - app.base] as number]?.label),
    forEachMatch(visit) {
      for (let at = 0; at < app.span; at++) {
        const idpRes = matchIdp[at] as number;
        if (idpRes !== 0) visit(app.base + at, idpRes);
      }
    },
    ambiguous,
    accountsOf(idpRes) {
      const one = sole[idpRes - idp.base] ?? 0;
      if (one > 0) return [one];
      return one === -1 ? [...(several.get(idpRes) ?? [])] : [];
    },
    soleAccount(idpRes) {
      const one = sole[idpRes - idp.base] ?? 0;
      return one > 0 ? one : undefined;
    },
  };
}
